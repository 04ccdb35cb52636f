package io.modelyard.billing.ledger;

import java.util.Map;

/**
 * What a package stores for tenants, for the {@code storage_byte_hours} meter: datasets and models each
 * implement this as an {@code @ApplicationScoped} bean; billing sums every implementation once an hour.
 * Called on a background thread in platform mode (row-level security lets it see every tenant's rows).
 */
public interface StorageFootprint {

    /** Bytes stored now, by tenant id; tenants storing nothing may be left out. */
    Map<String, Long> storedBytesByTenant();
}
