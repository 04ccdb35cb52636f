package io.modelyard.tenant;

import java.time.Instant;

/**
 * @param role the caller's role in this tenant; null when the caller is an API key or an operator
 * @param eraseAfter when a deleted tenant will be erased (in answers to deleting it); null otherwise
 * @param retention its retention settings, when the answer read the tenant itself (not a list of memberships)
 */
public record TenantView(String id, String object, String name, String plan, TenantStatus status, MemberRole role,
        Instant eraseAfter, TenantRetention retention, Instant createdAt, Instant updatedAt) {

    static TenantView of(Tenant t, MemberRole role) {
        return new TenantView(t.id(), "tenant", t.name(), t.plan(), t.status(), role, t.eraseAfter(), t.retention(),
                t.createdAt(), t.updatedAt());
    }

    static TenantView of(Membership m) {
        return new TenantView(m.tenantId(), "tenant", m.tenantName(), m.plan(), m.tenantStatus(), m.role(), null, null,
                m.tenantCreatedAt(), m.tenantUpdatedAt());
    }
}
