package io.modelyard.serving.batch;

import io.modelyard.dataset.split.Split;
import io.modelyard.serving.PredictionList;
import io.modelyard.serving.engine.Prediction;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes one output row per predicted row. Each prediction goes through {@link PredictionList#item}, the
 * shaping online predictions use, so a file holds the very labels and (float) probabilities the API answers.
 */
abstract class ResultWriter implements Closeable {

    /**
     * @param labels the model's classes in output order (empty for regression)
     * @param topK   classification: write the k most probable classes instead of every probability
     */
    static ResultWriter open(ResultFormat format, OutputStream out, List<String> labels, Integer topK)
            throws IOException {
        return open(format, out, labels, topK, false);
    }

    /** @param images the rows are images: each output row also names its file, image id and confidence */
    static ResultWriter open(ResultFormat format, OutputStream out, List<String> labels, Integer topK,
            boolean images) throws IOException {
        return format == ResultFormat.CSV ? new CsvResultWriter(out, labels, topK, images)
                : new JsonlResultWriter(out);
    }

    /**
     * Which image a row predicted.
     *
     * @param file the path inside the uploaded zip, or the first file the dataset's upload held it under
     * @param id   its SHA-256, the id an image dataset's rows hold
     */
    record Image(String file, String id) {
    }

    /**
     * @param row   the row's 0-based position in the dataset version
     * @param split the split the row was given at upload
     * @param image the image the row predicted; null for text and tabular rows
     */
    abstract void write(long row, Split split, Image image, PredictionList.Item item) throws IOException;

    final void write(long row, Split split, Image image, Prediction prediction, Integer topK) throws IOException {
        write(row, split, image, PredictionList.item((int) Math.min(row, Integer.MAX_VALUE), prediction, topK,
                null));
    }

    /** The probability of the predicted class. */
    static float confidence(PredictionList.Item item) {
        if (item.probabilities() != null) {
            return item.probabilities().get(item.label());
        }
        return item.topK().get(0).probability();
    }
}
