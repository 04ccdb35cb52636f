package io.modelyard.export;

/** What a {@code tenant_export} job is enqueued with: the export it writes. */
record TenantExportPayload(String exportId) {
}
