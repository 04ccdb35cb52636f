package io.modelyard.training.evaluation;

/**
 * One class's scores. A class that is never predicted has precision 0, one that never occurs has recall 0 (and
 * then F1 0), as scikit-learn does with {@code zero_division=0}.
 *
 * @param support rows whose true label is this class
 */
public record ClassMetrics(String label, double precision, double recall, double f1, long support) {
}
