package io.modelyard.tenant;

import java.time.Instant;

/** One tenant a person belongs to, as resolved at authentication. */
public record Membership(String tenantId, String tenantName, TenantStatus tenantStatus, String plan, String memberId,
        MemberRole role, Instant tenantCreatedAt, Instant tenantUpdatedAt) {
}
