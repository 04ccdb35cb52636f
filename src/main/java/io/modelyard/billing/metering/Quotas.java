package io.modelyard.billing.metering;

import io.modelyard.audit.AuditLog;
import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import io.modelyard.billing.Usage;
import io.modelyard.billing.ledger.UsageRecorder;
import io.modelyard.billing.plans.Plan;
import io.modelyard.common.NativeQueryValues;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hard quotas for actions that run in their own transaction (creating a training job, ingesting a dataset):
 * admit usage, or hold capacity for usage measured later, in the caller's transaction. Every method locks the
 * tenant's quota counter row for the meter and period until the caller commits — the row quota leases are taken
 * from too — so concurrent admissions are serialised and a hard quota is never exceeded; keep the transaction
 * short after calling. Refusals throw the 402 {@code quota-exceeded} problem (rolling the caller back) and are
 * audited.
 *
 * <p>Request-path usage (API requests, predictions) does not come here but through {@link MeteredRequest},
 * admitted from quota leases.
 */
@ApplicationScoped
public class Quotas {

    static final Duration DEFAULT_RESERVATION_TTL = Duration.ofHours(24);

    private final EntityManager entityManager;
    private final TenantContext context;
    private final PlatformClock clock;
    private final UsageRecorder recorder;
    private final BillingConfig config;
    private final ExhaustedQuotas exhausted;
    private final RefusalAudits refusalAudits;
    private final AuditLog audit;

    Quotas(EntityManager entityManager, TenantContext context, PlatformClock clock, UsageRecorder recorder,
            BillingConfig config, ExhaustedQuotas exhausted, RefusalAudits refusalAudits, AuditLog audit) {
        this.entityManager = entityManager;
        this.context = context;
        this.clock = clock;
        this.recorder = recorder;
        this.config = config;
        this.exhausted = exhausted;
        this.refusalAudits = refusalAudits;
        this.audit = audit;
    }

    /**
     * Admits and records {@code usage} in the caller's transaction: refused (402) if it would exceed a hard
     * quota. A usage whose idempotency key was recorded before is neither checked nor added again.
     *
     * @return true when recorded, false when its key was recorded before
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean charge(Usage usage) {
        String tenantId = context.requireTenant();
        if (alreadyRecorded(usage.idempotencyKey())) {
            return false;
        }
        QuotaStatus status = lock(tenantId, usage.meter(), Period.of(clock.now()));
        refuseIfExceeded(tenantId, status, usage.quantity());
        return recorder.record(usage);
    }

    /** {@link #reserve(Meter, BigDecimal, String, Duration)} for 24 hours. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Reservation reserve(Meter meter, long quantity, String reference) {
        return reserve(meter, BigDecimal.valueOf(quantity), reference, DEFAULT_RESERVATION_TTL);
    }

    /**
     * Holds {@code quantity} of {@code meter} for an action whose usage is measured later (a training job's
     * estimated seconds): refused (402) if it would exceed a hard quota, else counted against the quota until
     * {@link #settle settled} or {@link #release released}, or until {@code ttl} passes. Idempotent per
     * {@code reference} and meter: reserving again returns the reservation already held.
     *
     * @param reference what the reservation is for, e.g. {@code job:<id>}
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Reservation reserve(Meter meter, BigDecimal quantity, String reference, Duration ttl) {
        String tenantId = context.requireTenant();
        if (quantity.signum() <= 0) {
            throw new IllegalArgumentException("A reservation holds a positive quantity");
        }
        Instant now = clock.now();
        Period period = Period.of(now);
        QuotaStatus status = lock(tenantId, meter, period);
        List<?> existing = entityManager.createNativeQuery("select id, quantity, expires_at from usage_reservations"
                        + " where tenant_id = ?1 and reference = ?2 and meter = ?3")
                .setParameter(1, tenantId).setParameter(2, reference).setParameter(3, meter.wireName())
                .getResultList();
        if (!existing.isEmpty()) {
            Object[] row = (Object[]) existing.get(0);
            return new Reservation((String) row[0], reference, meter, (BigDecimal) row[1],
                    NativeQueryValues.instant(row[2]));
        }
        refuseIfExceeded(tenantId, status, quantity);
        Reservation reservation = new Reservation(TypedId.generate("rsv"), reference, meter, quantity, now.plus(ttl));
        entityManager.createNativeQuery("insert into usage_reservations (id, tenant_id, reference, meter, quantity,"
                        + " period_start, created_at, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, reservation.id()).setParameter(2, tenantId).setParameter(3, reference)
                .setParameter(4, meter.wireName()).setParameter(5, quantity).setParameter(6, period.startDate())
                .setParameter(7, now).setParameter(8, reservation.expiresAt())
                .executeUpdate();
        adjustReserved(tenantId, meter, period.startDate(), quantity);
        return reservation;
    }

    /**
     * Records what the action really used and releases everything reserved under {@code reference}, in the
     * caller's transaction. What happened is recorded even beyond the reservation or the quota: usage that
     * occurred is never lost.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(String reference, Usage... actual) {
        release(reference);
        for (Usage usage : actual) {
            recorder.record(usage);
        }
    }

    /** Releases everything reserved under {@code reference} (the action was cancelled or failed). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(String reference) {
        String tenantId = context.requireTenant();
        @SuppressWarnings("unchecked")
        List<Object[]> released = entityManager.createNativeQuery("delete from usage_reservations"
                        + " where tenant_id = ?1 and reference = ?2 returning meter, period_start, quantity")
                .setParameter(1, tenantId).setParameter(2, reference)
                .getResultList();
        for (Object[] row : released) {
            adjustReserved(tenantId, Meter.fromWire((String) row[0]), NativeQueryValues.localDate(row[1]),
                    ((BigDecimal) row[2]).negate());
        }
    }

    /** What the current tenant holds under {@code reference}, one reservation per meter. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Reservation> reservations(String reference) {
        return reservations(List.of(reference)).getOrDefault(reference, List.of());
    }

    /** What the current tenant holds under each of {@code references}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, List<Reservation>> reservations(Collection<String> references) {
        Map<String, List<Reservation>> held = new HashMap<>();
        if (references.isEmpty()) {
            return held;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select id, reference, meter, quantity, expires_at"
                        + " from usage_reservations where tenant_id = ?1 and reference = any(?2) order by id")
                .setParameter(1, context.requireTenant())
                .setParameter(2, references.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            held.computeIfAbsent((String) row[1], r -> new ArrayList<>()).add(new Reservation((String) row[0],
                    (String) row[1], Meter.fromWire((String) row[2]), (BigDecimal) row[3],
                    NativeQueryValues.instant(row[4])));
        }
        return held;
    }

    /** Where the current tenant stands on {@code meter} this period (read only, nothing locked). */
    @Transactional
    public QuotaStatus status(Meter meter) {
        String tenantId = context.requireTenant();
        return read(tenantId, meter, Period.of(clock.now()), false);
    }

    /**
     * What {@code quantity} more of {@code meter} would cost the current tenant this period, and whether its hard
     * quota would admit it — for {@code dry_run} and for refusing work up front. Reads only; holds nothing.
     */
    @Transactional
    public UsageEstimate estimate(Meter meter, BigDecimal quantity) {
        String tenantId = context.requireTenant();
        QuotaStatus status = read(tenantId, meter, Period.of(clock.now()), false);
        BigDecimal before = status.used().add(status.reserved());
        BigDecimal billable = before.add(quantity).subtract(status.included()).max(BigDecimal.ZERO)
                .subtract(before.subtract(status.included()).max(BigDecimal.ZERO));
        long amount = Quantities.minorUnits(billable.multiply(status.unitPrice()));
        return new UsageEstimate(meter, Quantities.plain(quantity), meter.unit(),
                Quantities.plain(status.included().subtract(before).max(BigDecimal.ZERO)),
                Quantities.plain(billable), Quantities.plain(status.unitPrice()), amount, status.currency(),
                !status.refuses(quantity), status.quota(), Quantities.plain(status.limit()),
                Quantities.plain(status.remaining()), status.resetsAt());
    }

    private QuotaStatus lock(String tenantId, Meter meter, Period period) {
        entityManager.createNativeQuery("insert into quota_counters (tenant_id, meter, period_start)"
                        + " values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, tenantId).setParameter(2, meter.wireName()).setParameter(3, period.startDate())
                .executeUpdate();
        return read(tenantId, meter, period, true);
    }

    /**
     * Where the tenant stands, as admissions count it: {@code used} is what was admitted this period — usage
     * charged in transactions and the blocks handed to quota leases — or the aggregated ledger if that is more
     * (usage from before the meter became hard); {@code reserved} is what reservations hold.
     */
    QuotaStatus read(String tenantId, Meter meter, Period period, boolean forUpdate) {
        String select = "select greatest(coalesce(q.admitted, 0), coalesce(u.used, 0)), coalesce(q.reserved, 0),"
                + " t.included, t.quota, t.quota_limit, t.unit_price,"
                + " (select p.currency from plans p where p.name = t.plan)";
        String aggregated = " left join usage_counters u on u.tenant_id = ?1 and u.meter = ?2"
                + " and u.period_start = ?3";
        String sql = forUpdate
                ? select + " from quota_counters q cross join lateral usage_terms(?1, ?2, ?3) t" + aggregated
                        + " where q.tenant_id = ?1 and q.meter = ?2 and q.period_start = ?3 for update of q"
                : select + " from usage_terms(?1, ?2, ?3) t left join quota_counters q"
                        + " on q.tenant_id = ?1 and q.meter = ?2 and q.period_start = ?3" + aggregated;
        List<?> rows = entityManager.createNativeQuery(sql)
                .setParameter(1, tenantId).setParameter(2, meter.wireName()).setParameter(3, period.startDate())
                .getResultList();
        if (rows.isEmpty()) {
            return new QuotaStatus(meter, period, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, Plan.Quota.SOFT,
                    null, BigDecimal.ZERO, "usd", null, period.end());
        }
        Object[] row = (Object[]) rows.get(0);
        BigDecimal used = (BigDecimal) row[0];
        BigDecimal reserved = (BigDecimal) row[1];
        BigDecimal limit = (BigDecimal) row[4];
        BigDecimal remaining = limit == null ? null : limit.subtract(used).subtract(reserved).max(BigDecimal.ZERO);
        return new QuotaStatus(meter, period, used, reserved, (BigDecimal) row[2], Plan.Quota.fromWire((String) row[3]),
                limit, (BigDecimal) row[5], (String) row[6], remaining, period.end());
    }

    private void refuseIfExceeded(String tenantId, QuotaStatus status, BigDecimal quantity) {
        if (!config.quotasEnabled() || !status.refuses(quantity)) {
            return;
        }
        QuotaExceeded refusal = status.refusal(tenantId, quantity);
        exhausted.remember(refusal);
        long refusals = refusalAudits.refused(tenantId, status.meter());
        if (refusals > 0) {
            // The caller's transaction rolls back with the refusal; its audit record must not.
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("meter", status.meter().wireName());
            details.put("limit", Quantities.plain(refusal.limit()));
            details.put("used", Quantities.plain(refusal.used()));
            details.put("requested", Quantities.plain(quantity));
            details.put("resets_at", refusal.resetsAt().toString());
            details.put("refusals", refusals);
            QuarkusTransaction.requiringNew().run(() -> audit.record("quota.exceeded", "meter",
                    status.meter().wireName(), details));
        }
        throw refusal.toProblem();
    }

    private boolean alreadyRecorded(String idempotencyKey) {
        return !entityManager.createNativeQuery("select 1 from usage_events where tenant_id = current_tenant_id()"
                        + " and idempotency_key = ?1 and stream is null")
                .setParameter(1, idempotencyKey).getResultList().isEmpty();
    }

    private void adjustReserved(String tenantId, Meter meter, LocalDate period, BigDecimal delta) {
        entityManager.createNativeQuery("update quota_counters set reserved = greatest(reserved + ?1, 0),"
                        + " updated_at = now() where tenant_id = ?2 and meter = ?3 and period_start = ?4")
                .setParameter(1, delta).setParameter(2, tenantId).setParameter(3, meter.wireName())
                .setParameter(4, period)
                .executeUpdate();
    }
}
