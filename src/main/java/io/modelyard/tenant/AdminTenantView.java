package io.modelyard.tenant;

import java.time.Instant;

/** A tenant as platform operators see it. */
public record AdminTenantView(String id, String object, String name, String plan, TenantStatus status,
        String suspendedReason, Instant eraseAfter, String createdBy, Instant createdAt, Instant updatedAt) {

    static AdminTenantView of(Tenant t) {
        return new AdminTenantView(t.id(), "tenant", t.name(), t.plan(), t.status(), t.suspendedReason(), t.eraseAfter(),
                t.createdBy, t.createdAt(), t.updatedAt());
    }
}
