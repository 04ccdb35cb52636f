package io.modelyard.billing.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's door for usage caused by a state change: appends it for the current tenant in the caller's
 * transaction, so an action and its usage commit or roll back together. Idempotent on the usage's key. The row
 * is queued for the aggregator ({@code usage_pending}) and counted against the tenant's quota counter at once, in
 * the same statement. (Request-path usage is appended in batches by the {@link UsageWriter} instead.)
 */
@ApplicationScoped
public class UsageRecorder {

    private final EntityManager entityManager;
    private final TenantContext context;
    private final PlatformClock clock;
    private final ObjectMapper json;

    UsageRecorder(EntityManager entityManager, TenantContext context, PlatformClock clock, ObjectMapper json) {
        this.entityManager = entityManager;
        this.context = context;
        this.clock = clock;
        this.json = json;
    }

    /** @return true when recorded, false when this idempotency key was recorded before */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(Usage usage) {
        return record(usage, clock.now());
    }

    /** As {@link #record(Usage)}, for usage that happened at {@code occurredAt} (an hour of storage). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean record(Usage usage, java.time.Instant occurredAt) {
        String tenantId = context.requireTenant();
        String source = context.actorIfKnown().map(a -> a.reference()).orElse("system:unknown");
        String attributes;
        try {
            attributes = json.writeValueAsString(usage.attributes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        Number written = (Number) entityManager.createNativeQuery("with e as (insert into usage_events (id,"
                        + " tenant_id, meter, quantity, unit, occurred_at, idempotency_key, source, api_key_id,"
                        + " model_id, job_id, attributes)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, cast(?12 as jsonb))"
                        + " on conflict (tenant_id, idempotency_key) where stream is null do nothing"
                        + " returning tenant_id, id, meter, quantity, occurred_at),"
                        + " p as (insert into usage_pending (tenant_id, event_id) select tenant_id, id from e),"
                        + " q as (insert into quota_counters as c (tenant_id, meter, period_start, admitted)"
                        + " select tenant_id, meter, usage_period(occurred_at), quantity from e"
                        + " on conflict (tenant_id, meter, period_start)"
                        + " do update set admitted = c.admitted + excluded.admitted, updated_at = now())"
                        + " select count(*) from e")
                .setParameter(1, TypedId.generate("use"))
                .setParameter(2, tenantId)
                .setParameter(3, usage.meter().wireName())
                .setParameter(4, usage.quantity())
                .setParameter(5, usage.meter().unit())
                .setParameter(6, occurredAt)
                .setParameter(7, usage.idempotencyKey())
                .setParameter(8, source)
                .setParameter(9, usage.apiKeyId())
                .setParameter(10, usage.modelId())
                .setParameter(11, usage.jobId())
                .setParameter(12, attributes)
                .getSingleResult();
        return written.intValue() == 1;
    }

    /** The usage recorded under each of {@code idempotencyKeys} for the current tenant (absent: none). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Usage> recorded(Collection<String> idempotencyKeys) {
        Map<String, Usage> found = new HashMap<>();
        if (idempotencyKeys.isEmpty()) {
            return found;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select idempotency_key, meter, quantity, api_key_id,"
                        + " model_id, job_id from usage_events where tenant_id = ?1 and idempotency_key = any(?2)"
                        + " and stream is null")
                .setParameter(1, context.requireTenant())
                .setParameter(2, idempotencyKeys.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            found.put((String) row[0], new Usage(Meter.fromWire((String) row[1]), (BigDecimal) row[2],
                    (String) row[0], (String) row[3], (String) row[4], (String) row[5], Map.of()));
        }
        return found;
    }
}
