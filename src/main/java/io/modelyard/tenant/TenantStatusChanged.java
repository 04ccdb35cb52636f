package io.modelyard.tenant;

/** Fired inside the transaction that suspends or resumes a tenant; caches of credentials listen. */
public record TenantStatusChanged(String tenantId, TenantStatus status) {
}
