package io.modelyard.training.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Metrics of a model on a held-out split: exactly one of {@code classification} and {@code regression} is set.
 * Computed from the actual and predicted values alone, so anything that can produce predictions can be scored
 * the same way.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(ClassificationEvaluation classification, RegressionEvaluation regression) {

    /**
     * Scores class predictions.
     *
     * @param labels the classes, in the order of the confusion matrix's rows and columns
     * @param actual the true label of each row
     * @param predicted the predicted label of each row
     * @throws IllegalArgumentException when the lists differ in length or hold a label outside {@code labels}
     */
    public static Evaluation classification(List<String> labels, List<String> actual, List<String> predicted) {
        return new Evaluation(ClassificationEvaluation.of(labels, actual, predicted), null);
    }

    /** Scores class predictions given as indexes into {@code labels}. */
    public static Evaluation classification(List<String> labels, int[] actual, int[] predicted) {
        return new Evaluation(ClassificationEvaluation.of(labels, actual, predicted), null);
    }

    /** Scores numeric predictions. */
    public static Evaluation regression(double[] actual, double[] predicted) {
        return new Evaluation(null, RegressionEvaluation.of(actual, predicted));
    }
}
