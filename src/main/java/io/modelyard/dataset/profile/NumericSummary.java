package io.modelyard.dataset.profile;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Numbers of one column. {@code std} is the sample standard deviation (n − 1). Quantiles are exact up to
 * {@link NumericAccumulator#EXACT_LIMIT} values, beyond that computed on a uniform random sample of that size
 * ({@code quantiles_exact} false; rank error about 0.5% at the 95% level).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NumericSummary(long count, double min, double max, double mean, double std, Quantiles quantiles,
        boolean quantilesExact, Histogram histogram) {
}
