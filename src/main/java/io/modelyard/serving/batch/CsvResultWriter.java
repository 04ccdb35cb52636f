package io.modelyard.serving.batch;

import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.split.Split;
import io.modelyard.serving.PredictionList;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV results: {@code row,split,label,p_<class>...} for classification (one column per class, in the model's
 * label order), {@code row,split,label,top_1,p_top_1,...} with top_k, {@code row,split,value} for regression.
 * Images add the file and image id after the split, and the predicted class's probability after the label:
 * {@code row,split,file,image_id,label,confidence,p_<class>...}.
 * Cells a spreadsheet would run as a formula (a class named {@code =cmd()}) are escaped exactly as dataset
 * downloads escape them.
 */
final class CsvResultWriter extends ResultWriter {

    private final CsvWriter csv;
    private final List<String> labels;
    private final Integer topK;
    private final boolean images;

    CsvResultWriter(OutputStream out, List<String> labels, Integer topK, boolean images) throws IOException {
        this.csv = new CsvWriter(out, ',', CsvWriter.FormulaEscaping.NON_NUMERIC);
        this.labels = labels;
        this.topK = topK;
        this.images = images;
        List<String> header = new ArrayList<>(List.of("row", "split"));
        if (images) {
            header.addAll(List.of("file", "image_id"));
        }
        if (labels.isEmpty()) {
            header.add("value");
        } else {
            header.add("label");
            if (images) {
                header.add("confidence");
            }
            if (topK == null) {
                labels.forEach(label -> header.add("p_" + label));
            } else {
                for (int k = 1; k <= Math.min(topK, labels.size()); k++) {
                    header.add("top_" + k);
                    header.add("p_top_" + k);
                }
            }
        }
        csv.row(header);
    }

    @Override
    void write(long row, Split split, Image image, PredictionList.Item item) throws IOException {
        csv.field(Long.toString(row));
        csv.field(split == null ? null : split.id());
        if (images) {
            csv.field(image.file());
            csv.field(image.id());
        }
        if (item.value() != null) {
            csv.field(Double.toString(item.value()));
        } else {
            csv.field(item.label());
            if (images) {
                csv.field(Float.toString(confidence(item)));
            }
            if (item.probabilities() != null) {
                for (String label : labels) {
                    csv.field(Float.toString(item.probabilities().get(label)));
                }
            } else {
                for (PredictionList.ClassProbability p : item.topK()) {
                    csv.field(p.label());
                    csv.field(Float.toString(p.probability()));
                }
            }
        }
        csv.endRow();
    }

    @Override
    public void close() throws IOException {
        csv.flush();
    }
}
