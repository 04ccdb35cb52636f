package io.modelyard.training.vectors;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bytes of uploaded word vectors per tenant, for the {@code storage_byte_hours} meter. */
@ApplicationScoped
class WordVectorsFootprint implements StorageFootprint {

    private final EntityManager entityManager;
    private final TenantScope tenantScope;

    WordVectorsFootprint(EntityManager entityManager, TenantScope tenantScope) {
        this.entityManager = entityManager;
        this.tenantScope = tenantScope;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("word-vectors-storage", () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select tenant_id, sum(size_bytes)"
                    + " from word_vectors group by tenant_id order by tenant_id").getResultList();
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (Object[] row : rows) {
                bytes.put((String) row[0], ((Number) row[1]).longValue());
            }
            return bytes;
        }));
    }
}
