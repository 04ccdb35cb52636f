package io.modelyard.billing.statements;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import io.modelyard.billing.plans.Plan;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A period's usage per meter against what the plan includes and its limit.
 *
 * @param aggregatedAt how fresh {@code used} is: every usage recorded before this instant is counted (the
 *                     counters are derived from the ledger a few seconds behind it)
 * @param durability   when answers leave relative to the recording of their usage: {@code durable} (after) or
 *                     {@code buffered} (before; within milliseconds)
 */
public record UsageSummaryView(String object, String tenantId, String plan, String period, Instant periodStart,
        Instant periodEnd, Instant resetsAt, Instant aggregatedAt, String durability, List<MeterUsage> meters) {

    /**
     * @param used      what the ledger holds, as of {@code aggregated_at}
     * @param reserved  held for jobs in flight (an estimated training job, a batch prediction's rows)
     * @param limit     null when unlimited
     * @param remaining what the limit still allows (null when unlimited)
     * @param billable  used beyond what is included
     */
    public record MeterUsage(Meter meter, String unit, BigDecimal used, BigDecimal reserved, BigDecimal included,
            Plan.Quota quota, BigDecimal limit, BigDecimal remaining, BigDecimal billable, boolean overLimit) {
    }

    static UsageSummaryView of(Statements.Statement statement, Instant aggregatedAt,
            BillingConfig.Durability durability) {
        List<MeterUsage> meters = statement.meters().stream().map(m -> new MeterUsage(m.meter(), m.meter().unit(),
                Quantities.plain(m.used()), Quantities.plain(m.reserved()), Quantities.plain(m.included()), m.quota(),
                Quantities.plain(m.limit()), Quantities.plain(m.remaining()), Quantities.plain(m.billable()),
                m.overLimit())).toList();
        Period period = statement.period();
        return new UsageSummaryView("usage_summary", statement.tenantId(), statement.plan().name(), period.toString(),
                period.start(), period.end(), period.end(), aggregatedAt, durability.wireName(), meters);
    }
}
