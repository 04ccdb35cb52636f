package io.modelyard.training.evaluation;

import java.util.List;

/**
 * Counts of (actual, predicted) pairs: {@code counts[i][j]} rows of class {@code labels[i]} predicted as
 * {@code labels[j]}.
 */
public record ConfusionMatrix(List<String> labels, long[][] counts) {

    public long count(String actual, String predicted) {
        return counts[labels.indexOf(actual)][labels.indexOf(predicted)];
    }
}
