package io.modelyard.optimization;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes of the trial models tuning jobs keep (the Pareto front's and running trials' finished models), for the
 * {@code storage_byte_hours} meter; checkpoints are transient and not counted, as for training jobs.
 */
@ApplicationScoped
class TrialModelsFootprint implements StorageFootprint {

    private final EntityManager entityManager;
    private final TenantScope tenantScope;

    TrialModelsFootprint(EntityManager entityManager, TenantScope tenantScope) {
        this.entityManager = entityManager;
        this.tenantScope = tenantScope;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("tuning-trial-storage", () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select tenant_id, sum(size_bytes)"
                    + " from tuning_trials where artifact_key is not null and size_bytes is not null"
                    + " group by tenant_id order by tenant_id").getResultList();
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (Object[] row : rows) {
                bytes.put((String) row[0], ((Number) row[1]).longValue());
            }
            return bytes;
        }));
    }
}
