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
 * Cells a spreadsheet would run as a formula (a class named {@code =cmd()}) are escaped exactly as dataset
 * downloads escape them.
 */
final class CsvResultWriter extends ResultWriter {

    private final CsvWriter csv;
    private final List<String> labels;
    private final Integer topK;

    CsvResultWriter(OutputStream out, List<String> labels, Integer topK) throws IOException {
        this.csv = new CsvWriter(out, ',', CsvWriter.FormulaEscaping.NON_NUMERIC);
        this.labels = labels;
        this.topK = topK;
        List<String> header = new ArrayList<>(List.of("row", "split"));
        if (labels.isEmpty()) {
            header.add("value");
        } else {
            header.add("label");
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
    void write(long row, Split split, PredictionList.Item item) throws IOException {
        csv.field(Long.toString(row));
        csv.field(split == null ? null : split.id());
        if (item.value() != null) {
            csv.field(Double.toString(item.value()));
        } else {
            csv.field(item.label());
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
