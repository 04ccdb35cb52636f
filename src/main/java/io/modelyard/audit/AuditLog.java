package io.modelyard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Who did what, to what, when and from where. Written in the caller's transaction, so an action and its audit
 * record commit or roll back together. The application may append and read, never change, these rows.
 */
@ApplicationScoped
public class AuditLog {

    private final EntityManager entityManager;
    private final TenantContext context;
    private final ObjectMapper json;

    AuditLog(EntityManager entityManager, TenantContext context, ObjectMapper json) {
        this.entityManager = entityManager;
        this.context = context;
        this.json = json;
    }

    /** Records an action on the current tenant by the current actor. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String targetType, String targetId, Map<String, ?> details) {
        record(context.requireTenant(), action, targetType, targetId, details);
    }

    /**
     * Records an action on {@code tenantId}, which may differ from the current tenant (an operator suspending a
     * tenant; a sign-up creating one).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String tenantId, String action, String targetType, String targetId, Map<String, ?> details) {
        Actor actor = context.actor();
        String body;
        try {
            body = json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit details must be JSON-serialisable", e);
        }
        // A native insert: the audit row may belong to a tenant other than the ORM session's (operator actions).
        entityManager.createNativeQuery("insert into audit_events (id, tenant_id, actor_type, actor_id, action,"
                        + " target_type, target_id, source_ip, request_id, details, created_at, client_request_id)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, cast(?10 as jsonb), ?11, ?12)")
                .setParameter(1, TypedId.generate("aud"))
                .setParameter(2, tenantId)
                .setParameter(3, actor.type().name().toLowerCase())
                .setParameter(4, actor.id())
                .setParameter(5, action)
                .setParameter(6, targetType)
                .setParameter(7, targetId)
                .setParameter(8, context.sourceIp())
                .setParameter(9, context.requestId())
                .setParameter(10, body)
                .setParameter(11, Instant.now().truncatedTo(ChronoUnit.MICROS))
                .setParameter(12, context.clientRequestId())
                .executeUpdate();
    }
}
