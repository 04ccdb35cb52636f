package io.modelyard.serving;

import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Reads a tenant's usage events as the tenant (row-level security on), for assertions. */
@ApplicationScoped
public class UsageLedger {

    /** One usage event. */
    public record Event(String meter, long quantity, String idempotencyKey, String apiKeyId, String modelId,
            String protocol) {
    }

    private final EntityManager entityManager;
    private final TenantScope tenants;

    UsageLedger(EntityManager entityManager, TenantScope tenants) {
        this.entityManager = entityManager;
        this.tenants = tenants;
    }

    /** The tenant's events of one meter, oldest first. */
    public List<Event> events(String tenantId, String meter) {
        return events(tenantId).stream().filter(e -> e.meter().equals(meter)).toList();
    }

    public List<Event> events(String tenantId) {
        return tenants.call(tenantId, Actor.system("test"), () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select meter, quantity, idempotency_key,"
                            + " api_key_id, model_id, attributes->>'protocol' from usage_events order by occurred_at, id")
                    .getResultList();
            return rows.stream().map(r -> new Event((String) r[0], ((Number) r[1]).longValue(), (String) r[2],
                    (String) r[3], (String) r[4], (String) r[5])).toList();
        }));
    }
}
