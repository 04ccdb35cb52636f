package io.modelyard.dataset.profile;

/** Lengths (characters or tokens) of the values of a text column; all exact. */
public record LengthSummary(long min, double mean, long max, Quantiles quantiles) {
}
