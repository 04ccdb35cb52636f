package io.modelyard.audit;

import io.modelyard.tenant.TenantActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Writes tenant/'s activity into the audit log, in the transaction that fired it. */
@ApplicationScoped
class TenantActivityAudit {

    private final AuditLog audit;

    TenantActivityAudit(AuditLog audit) {
        this.audit = audit;
    }

    void record(@Observes TenantActivity activity) {
        audit.record(activity.tenantId(), activity.action(), activity.targetType(), activity.targetId(),
                activity.details());
    }
}
