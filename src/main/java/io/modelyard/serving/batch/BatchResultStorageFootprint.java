package io.modelyard.serving.batch;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.job.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes of batch prediction results per tenant, for the {@code storage_byte_hours} meter: the files in the blob
 * store (so a result counts exactly until the retention sweep deletes it) that a succeeded batch prediction of
 * the tenant owns (a stray file is the sweeper's, not the tenant's bill).
 */
@ApplicationScoped
class BatchResultStorageFootprint implements StorageFootprint {

    private final BatchResults results;
    private final BatchResultOwners owners;

    BatchResultStorageFootprint(BatchResults results, BatchResultOwners owners) {
        this.results = results;
        this.owners = owners;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        Map<String, Long> bytes = new TreeMap<>();
        for (BatchResults.Stored stored : results.list("tenants/")) {
            if (owners.stateOf(stored).filter(state -> state == JobState.SUCCEEDED).isPresent()) {
                bytes.merge(stored.tenantId(), stored.blob().size(), Long::sum);
            }
        }
        return bytes;
    }
}
