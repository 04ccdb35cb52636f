package io.modelyard.training.encoders;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bytes of imported encoders per tenant, for the {@code storage_byte_hours} meter. */
@ApplicationScoped
class ImportedEncoderFootprint implements StorageFootprint {

    private final EntityManager entityManager;
    private final TenantScope tenantScope;

    ImportedEncoderFootprint(EntityManager entityManager, TenantScope tenantScope) {
        this.entityManager = entityManager;
        this.tenantScope = tenantScope;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("imported-encoders-storage", () -> QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = entityManager.createNativeQuery("select tenant_id, sum(size_bytes)"
                    + " from imported_encoders group by tenant_id order by tenant_id").getResultList();
            Map<String, Long> bytes = new LinkedHashMap<>();
            for (Object[] row : rows) {
                bytes.put((String) row[0], ((Number) row[1]).longValue());
            }
            return bytes;
        }));
    }
}
