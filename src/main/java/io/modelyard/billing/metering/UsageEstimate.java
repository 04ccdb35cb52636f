package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import io.modelyard.billing.plans.Plan;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What some more usage would cost, for a {@code dry_run}: the part still included in the plan, the part billed
 * beyond it at the plan's unit price, and whether the hard quota would admit it.
 *
 * @param includedRemaining what the plan still includes this period before this usage
 * @param unitPrice         minor units per unit beyond what is included (may be fractional)
 * @param amount            the price of this usage, in minor units of {@code currency}
 * @param withinQuota       false when a hard quota would refuse it
 * @param limit             null when unlimited
 * @param remaining         what the limit still allows (null when unlimited)
 */
public record UsageEstimate(Meter meter, BigDecimal quantity, String unit, BigDecimal includedRemaining,
        BigDecimal billable, BigDecimal unitPrice, long amount, String currency, boolean withinQuota,
        Plan.Quota quota, BigDecimal limit, BigDecimal remaining, Instant resetsAt) {
}
