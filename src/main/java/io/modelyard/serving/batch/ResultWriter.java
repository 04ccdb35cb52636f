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
        return format == ResultFormat.CSV ? new CsvResultWriter(out, labels, topK)
                : new JsonlResultWriter(out);
    }

    /**
     * @param row   the row's 0-based position in the dataset version
     * @param split the split the row was given at upload
     */
    abstract void write(long row, Split split, PredictionList.Item item) throws IOException;

    final void write(long row, Split split, Prediction prediction, Integer topK) throws IOException {
        write(row, split, PredictionList.item((int) Math.min(row, Integer.MAX_VALUE), prediction, topK, null));
    }
}
