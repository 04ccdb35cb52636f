package io.modelyard.training.evaluation;

/** Precision, recall and F1 averaged over classes (macro, weighted) or over rows (micro). */
public record AveragedMetrics(double precision, double recall, double f1) {
}
