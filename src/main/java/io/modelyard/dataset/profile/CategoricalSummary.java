package io.modelyard.dataset.profile;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Distinct values of a column: exact up to {@link CategoryCounter#DEFAULT_LIMIT} distinct values; past it,
 * {@code distinct_capped} is true and {@code distinct} is the limit (a lower bound), and {@code top} counts
 * only the values first seen before the limit was reached.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoricalSummary(long distinct, boolean distinctCapped, List<ValueCount> top) {
}
