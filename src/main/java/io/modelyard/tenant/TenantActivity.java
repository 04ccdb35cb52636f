package io.modelyard.tenant;

import java.util.Map;

/**
 * Something a person or an operator did to a tenant or its members, fired inside the transaction that did it.
 * The audit log observes these, so the record commits or rolls back with the change, while tenant/ stays
 * unaware of how (or whether) actions are audited: audit depends on tenant, never the other way.
 */
public record TenantActivity(String tenantId, String action, String targetType, String targetId,
        Map<String, ?> details) {

    public static TenantActivity onTenant(String tenantId, String action, Map<String, ?> details) {
        return new TenantActivity(tenantId, action, "tenant", tenantId, details);
    }

    public static TenantActivity onMember(String tenantId, String action, String memberId, Map<String, ?> details) {
        return new TenantActivity(tenantId, action, "member", memberId, details);
    }
}
