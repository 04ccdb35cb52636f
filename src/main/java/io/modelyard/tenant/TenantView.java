package io.modelyard.tenant;

import java.time.Instant;

/**
 * @param role the caller's role in this tenant; null when the caller is an API key or an operator
 */
public record TenantView(String id, String object, String name, String plan, TenantStatus status, MemberRole role,
        Instant createdAt, Instant updatedAt) {

    static TenantView of(Tenant t, MemberRole role) {
        return new TenantView(t.id(), "tenant", t.name(), t.plan(), t.status(), role, t.createdAt(), t.updatedAt());
    }

    static TenantView of(Membership m) {
        return new TenantView(m.tenantId(), "tenant", m.tenantName(), m.plan(), m.tenantStatus(), m.role(),
                m.tenantCreatedAt(), m.tenantUpdatedAt());
    }
}
