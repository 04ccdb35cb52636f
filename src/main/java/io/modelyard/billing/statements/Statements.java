package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import io.modelyard.billing.plans.Plan;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.NativeQueryValues;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantPlanAssignment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's usage for one period set against its plan: per meter what was used, what is included (plan and
 * quantity credits), the limit, what is billable and what it costs; and the money credits of the period. The
 * basis of the usage summary, the invoice preview and the operators' views. Runs in the caller's transaction
 * (the tenant's own, or an operator's).
 *
 * <p>The plan of a past period is the one in effect at its end; of the current period, the tenant's plan now —
 * the one quotas are enforced against. Prices are the plan's current ones.
 */
@ApplicationScoped
class Statements {

    /** One meter of a period. */
    record MeterStatement(Meter meter, BigDecimal used, BigDecimal reserved, BigDecimal included, Plan.Quota quota,
            BigDecimal limit, BigDecimal unitPrice) {

        BigDecimal billable() {
            return used.subtract(included).max(BigDecimal.ZERO);
        }

        long amount() {
            return Quantities.minorUnits(billable().multiply(unitPrice));
        }

        BigDecimal remaining() {
            return limit == null ? null : limit.subtract(used).subtract(reserved).max(BigDecimal.ZERO);
        }

        boolean overLimit() {
            return limit != null && used.compareTo(limit) > 0;
        }
    }

    /** @param moneyCredits credits granted in money for the period, in the plan's currency (minor units) */
    record Statement(String tenantId, Plan plan, Period period, boolean current, List<MeterStatement> meters,
            long moneyCredits) {
    }

    private final EntityManager entityManager;
    private final Plans plans;
    private final TenantPlanAssignment assignments;
    private final PlatformClock clock;

    Statements(EntityManager entityManager, Plans plans, TenantPlanAssignment assignments, PlatformClock clock) {
        this.entityManager = entityManager;
        this.plans = plans;
        this.assignments = assignments;
        this.clock = clock;
    }

    Period currentPeriod() {
        return Period.of(clock.now());
    }

    /** Everything recorded before this instant is in the counters and roll-ups (see {@code ledger.UsageAggregator}). */
    Instant aggregatedAt() {
        return NativeQueryValues.instant(entityManager.createNativeQuery(
                "select aggregated_at from usage_aggregation where id = 1").getSingleResult());
    }

    Statement of(String tenantId, Period period) {
        Period current = currentPeriod();
        if (period.month().isAfter(current.month())) {
            throw ProblemException.invalidField("period", "must not be in the future");
        }
        boolean isCurrent = period.equals(current);
        // a past period: plan_at (V41) looks in billing's own history of plan changes (plan_changes) first
        String planName = isCurrent ? assignments.planOf(tenantId).orElse(null)
                : (String) entityManager.createNativeQuery("select plan_at(?1, ?2)").setParameter(1, tenantId)
                        .setParameter(2, period.end().minus(1, ChronoUnit.MICROS)).getResultList().stream()
                        .findFirst().orElse(null);
        if (planName == null) {
            throw ProblemException.notFound("tenant", tenantId);
        }
        Plan plan = plans.find(planName).orElseThrow(() -> new ProblemException(500, "plan-missing",
                "Internal error", "The tenant's plan is not configured."));

        Map<Meter, BigDecimal[]> counters = new EnumMap<>(Meter.class);
        @SuppressWarnings("unchecked")
        // used: the aggregated ledger; reserved: what reservations hold for work in flight. (What this period's
        // quota leases hold is not shown: it is allowance handed to API processes ahead of the requests that
        // will use it, still the tenant's to use.)
        List<Object[]> counterRows = entityManager.createNativeQuery("select coalesce(u.meter, q.meter),"
                        + " coalesce(u.used, 0), coalesce(q.reserved, 0)"
                        + " from (select meter, used from usage_counters where tenant_id = ?1 and period_start = ?2) u"
                        + " full join (select meter, admitted, reserved from quota_counters"
                        + " where tenant_id = ?1 and period_start = ?2) q on q.meter = u.meter")
                .setParameter(1, tenantId).setParameter(2, period.startDate()).getResultList();
        for (Object[] row : counterRows) {
            counters.put(Meter.fromWire((String) row[0]), new BigDecimal[] {(BigDecimal) row[1], (BigDecimal) row[2]});
        }
        Map<Meter, BigDecimal> quantityCredits = new EnumMap<>(Meter.class);
        long moneyCredits = 0;
        @SuppressWarnings("unchecked")
        List<Object[]> creditRows = entityManager.createNativeQuery("select meter, quantity, amount, currency"
                        + " from credit_grants where tenant_id = ?1 and period_start = ?2")
                .setParameter(1, tenantId).setParameter(2, period.startDate()).getResultList();
        for (Object[] row : creditRows) {
            if (row[0] != null) {
                quantityCredits.merge(Meter.fromWire((String) row[0]), (BigDecimal) row[1], BigDecimal::add);
            } else if (plan.currency().equals(row[3])) {
                moneyCredits += ((Number) row[2]).longValue();
            }
        }
        List<MeterStatement> meters = new ArrayList<>();
        for (Meter meter : Meter.values()) {
            Plan.MeterTerms terms = plan.terms(meter);
            BigDecimal credit = quantityCredits.getOrDefault(meter, BigDecimal.ZERO);
            BigDecimal[] counter = counters.getOrDefault(meter, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            meters.add(new MeterStatement(meter, counter[0], counter[1], terms.included().add(credit), terms.quota(),
                    terms.limit() == null ? null : terms.limit().add(credit), terms.unitPrice()));
        }
        return new Statement(tenantId, plan, period, isCurrent, meters, moneyCredits);
    }
}
