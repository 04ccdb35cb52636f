package io.modelyard.export;

/** Request bodies of the tenant export API. */
public final class TenantExportRequests {

    private TenantExportRequests() {
    }

    /** {@code POST /v1/tenant-exports}: no options yet; an empty object (or no body). */
    public record CreateTenantExport() {
    }
}
