package io.modelyard.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The usage ledger's only door: appends usage for the current tenant in the caller's transaction, so an
 * action and its usage commit or roll back together. Idempotent on the usage's key.
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
        String tenantId = context.requireTenant();
        String source = context.actorIfKnown().map(a -> a.reference()).orElse("system:unknown");
        String attributes;
        try {
            attributes = json.writeValueAsString(usage.attributes());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return entityManager.createNativeQuery("insert into usage_events (id, tenant_id, meter, quantity, unit,"
                        + " occurred_at, idempotency_key, source, api_key_id, model_id, job_id, attributes)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, cast(?12 as jsonb))"
                        + " on conflict (tenant_id, idempotency_key) do nothing")
                .setParameter(1, TypedId.generate("use"))
                .setParameter(2, tenantId)
                .setParameter(3, usage.meter().wireName())
                .setParameter(4, usage.quantity())
                .setParameter(5, usage.meter().unit())
                .setParameter(6, clock.now())
                .setParameter(7, usage.idempotencyKey())
                .setParameter(8, source)
                .setParameter(9, usage.apiKeyId())
                .setParameter(10, usage.modelId())
                .setParameter(11, usage.jobId())
                .setParameter(12, attributes)
                .executeUpdate() == 1;
    }
}
