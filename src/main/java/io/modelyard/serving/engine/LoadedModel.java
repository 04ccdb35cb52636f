package io.modelyard.serving.engine;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * A model ready to predict. Thread-safe: any number of threads may call {@link #predict} at once; the model
 * runs as many batches in parallel as it has predictors and queues the rest. Close it to free native memory
 * (callers in flight finish first).
 */
public interface LoadedModel extends AutoCloseable {

    TaskType task();

    Architecture architecture();

    /** The classes in output order (empty for regression). */
    List<String> labels();

    /** The text column the model was trained on (text models), else null. */
    String textColumn();

    /** The feature columns the model reads (tabular models), else empty. */
    List<FeatureColumn> features();

    /**
     * Predicts a batch in one forward pass; the answer has one prediction per input, in order.
     *
     * @throws InvalidInputException naming the field and row of the first unreadable input
     */
    List<Prediction> predict(List<PredictionInput> inputs);

    /**
     * Explains a prediction by occlusion. A text's tokens are masked in turn and ranked by the drop of the
     * predicted class's probability: one forward pass of (tokens + 1) rows. An image's cells of a coarse grid are
     * covered in turn (with the training mean colour), giving a map of that drop: one pass of (cells + 1) rows.
     *
     * @param topTokens how many tokens to return at most
     * @throws UnsupportedOperationException for tabular models
     * @throws InvalidInputException for an empty text or an unreadable image
     */
    Explanation explain(PredictionInput input, int topTokens);

    /** The rows {@link #explain} runs through the model for {@code input}. */
    int explanationPasses(PredictionInput input);

    /** Memory the model holds (weights, preprocessing, predictors), for a byte-bounded cache. */
    long approximateSizeBytes();

    @Override
    void close();
}
