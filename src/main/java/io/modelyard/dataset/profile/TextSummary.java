package io.modelyard.dataset.profile;

/**
 * Lengths of a text column's values: in characters (Unicode code points) and in tokens (runs of
 * non-whitespace characters).
 */
public record TextSummary(LengthSummary characters, LengthSummary tokens) {
}
