package io.modelyard.model;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes of model artifacts per tenant, for the {@code storage_byte_hours} meter. Only ready models count: a
 * failed or deleted model's artifact is gone from the blob store.
 */
@ApplicationScoped
class ModelStorageFootprint implements StorageFootprint {

    private final EntityManager entityManager;
    private final TenantScope tenantScope;

    ModelStorageFootprint(EntityManager entityManager, TenantScope tenantScope) {
        this.entityManager = entityManager;
        this.tenantScope = tenantScope;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("model-storage", () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select tenant_id, sum(artifact_size_bytes)"
                    + " from models where status = 'ready' and artifact_size_bytes is not null"
                    + " group by tenant_id order by tenant_id").getResultList();
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (Object[] row : rows) {
                bytes.put((String) row[0], ((Number) row[1]).longValue());
            }
            return bytes;
        }));
    }
}
