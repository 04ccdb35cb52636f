package io.modelyard.export;

import io.modelyard.billing.ledger.StorageFootprint;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Bytes of export archives per tenant, for the {@code storage_byte_hours} meter: an archive is data the platform
 * keeps for the tenant until it expires (the sweeper then deletes it and the export turns {@code expired}), so
 * it is billed like any other stored byte for those days.
 */
@ApplicationScoped
class ExportStorageFootprint implements StorageFootprint {

    private final TenantExportRepository exports;
    private final TenantScope tenantScope;

    ExportStorageFootprint(TenantExportRepository exports, TenantScope tenantScope) {
        this.exports = exports;
        this.tenantScope = tenantScope;
    }

    @Override
    public Map<String, Long> storedBytesByTenant() {
        return tenantScope.callAsPlatform("export-storage",
                () -> QuarkusTransaction.requiringNew().call(exports::storedBytesByTenant));
    }
}
