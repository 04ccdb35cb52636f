package io.modelyard.tenant;

/**
 * A tenant's erasure has begun: whatever a process remembers of it (loaded models, resolved names) must go. Fired in
 * the erasing process after the purge's first step commits, and sent to every other instance as a PostgreSQL
 * notification on {@link #CHANNEL} (payload: the tenant id).
 */
public record TenantErased(String tenantId) {

    public static final String CHANNEL = "modelyard_tenant_erased";
}
