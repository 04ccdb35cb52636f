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
     * Ranks the tokens of a text by occlusion: each token is masked in turn and the drop of the predicted class's
     * probability is its attribution. One forward pass of (tokens + 1) rows.
     *
     * @param topTokens how many tokens to return at most
     * @throws UnsupportedOperationException for tabular models
     * @throws InvalidInputException for an empty text
     */
    Explanation explain(String text, int topTokens);

    /** The rows {@link #explain} runs through the model for {@code text}: its tokens (up to the length) + 1. */
    int explanationPasses(String text);

    /** Memory the model holds (weights, preprocessing, predictors), for a byte-bounded cache. */
    long approximateSizeBytes();

    @Override
    void close();
}
