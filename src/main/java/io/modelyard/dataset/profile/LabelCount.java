package io.modelyard.dataset.profile;

/** Rows of one label, overall and per split. */
public record LabelCount(String label, long count, double share, long train, long validation, long test) {
}
