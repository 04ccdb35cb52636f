package io.modelyard.billing;

import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The limits of tenants' plans, as stored in the {@code plans} table (operators edit them). */
@ApplicationScoped
public class Plans {

    private final EntityManager entityManager;
    private final TenantContext context;

    Plans(EntityManager entityManager, TenantContext context) {
        this.entityManager = entityManager;
        this.context = context;
    }

    /** The current tenant's limits. */
    @Transactional
    public PlanLimits limitsOfCurrentTenant() {
        context.requireTenant();
        java.util.List<?> rows = entityManager.createNativeQuery("select p.name, p.max_upload_bytes,"
                        + " p.storage_cap_bytes, p.max_concurrent_jobs from tenants t join plans p on p.name = t.plan"
                        + " where t.id = current_tenant_id()")
                .getResultList();
        if (rows.isEmpty()) {
            throw new ProblemException(500, "plan-missing", "Internal error", "The tenant's plan is not configured.");
        }
        Object[] row = (Object[]) rows.get(0);
        return new PlanLimits((String) row[0], ((Number) row[1]).longValue(), ((Number) row[2]).longValue(),
                ((Number) row[3]).intValue());
    }
}
