package io.modelyard.serving.batch;

import io.modelyard.billing.StorageFootprint;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes of batch prediction results per tenant, for the {@code storage_byte_hours} meter. Counted from the
 * blob store itself, so a result counts exactly as long as it exists (until the retention sweep deletes it).
 */
@ApplicationScoped
class BatchResultStorageFootprint implements StorageFootprint {

    private final BatchResults results;

    BatchResultStorageFootprint(BatchResults results) {
        this.results = results;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        Map<String, Long> bytes = new TreeMap<>();
        for (BatchResults.Stored stored : results.list("tenants/")) {
            bytes.merge(stored.tenantId(), stored.blob().size(), Long::sum);
        }
        return bytes;
    }
}
