package io.modelyard.audit;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reading the audit log: owners and admins page through their tenant's records, newest first. */
@ApplicationScoped
public class AuditEvents {

    private final AuditEventRepository events;
    private final TenantContext context;

    AuditEvents(AuditEventRepository events, TenantContext context) {
        this.events = events;
        this.context = context;
    }

    /** A page of the current tenant's audit records, optionally of one action or one target. Admins only. */
    @Transactional
    public Page<AuditEventView> list(PageRequest page, String action, String targetId) {
        context.require(Permission.ADMIN);
        return Page.of(events.page(page, action, targetId), page, e -> e.id, AuditEventView::of);
    }
}
