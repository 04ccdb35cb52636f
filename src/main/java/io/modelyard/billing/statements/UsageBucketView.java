package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One roll-up bucket: the usage of a meter in an hour or a day (UTC), optionally per API key and model.
 *
 * @param apiKeyId null unless grouped by API key (and then null for usage without one)
 * @param modelId  null unless grouped by model (and then null for usage without one)
 * @param events   how many ledger entries it sums
 */
public record UsageBucketView(String object, String granularity, Instant start, Instant end, Meter meter,
        String apiKeyId, String modelId, BigDecimal quantity, long events) {
}
