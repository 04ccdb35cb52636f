package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.plans.Plan;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Where a tenant stands on one meter in a period.
 *
 * @param included  what the plan (plus quantity credits) includes
 * @param limit     null when unlimited
 * @param remaining what may still be used before the limit (null when unlimited); never negative
 */
public record QuotaStatus(Meter meter, Period period, BigDecimal used, BigDecimal reserved, BigDecimal included,
        Plan.Quota quota, BigDecimal limit, BigDecimal unitPrice, String currency, BigDecimal remaining,
        Instant resetsAt) {

    /** Whether {@code quantity} more would be refused: a hard quota it would exceed. */
    public boolean refuses(BigDecimal quantity) {
        return quota == Plan.Quota.HARD && limit != null && used.add(reserved).add(quantity).compareTo(limit) > 0;
    }

    QuotaExceeded refusal(String tenantId, BigDecimal quantity) {
        return new QuotaExceeded(tenantId, meter, limit, used.add(reserved), quantity, resetsAt);
    }
}
