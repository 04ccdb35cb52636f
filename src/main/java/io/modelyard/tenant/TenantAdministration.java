package io.modelyard.tenant;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;

/** What platform operators do to tenants: list, inspect, suspend, resume. Runs in operator mode only. */
@ApplicationScoped
public class TenantAdministration {

    private final TenantRepository tenants;
    private final TenantContext context;
    private final Event<TenantActivity> activity;
    private final PlatformClock clock;
    private final Event<TenantStatusChanged> statusChanged;

    TenantAdministration(TenantRepository tenants, TenantContext context, Event<TenantActivity> activity,
            PlatformClock clock, Event<TenantStatusChanged> statusChanged) {
        this.tenants = tenants;
        this.context = context;
        this.activity = activity;
        this.clock = clock;
        this.statusChanged = statusChanged;
    }

    @Transactional
    public Page<AdminTenantView> list(PageRequest page, TenantStatus status) {
        requireOperator();
        return Page.of(tenants.page(page, status), page, Tenant::id, AdminTenantView::of);
    }

    @Transactional
    public AdminTenantView get(String id) {
        requireOperator();
        return AdminTenantView.of(find(id));
    }

    /** Whether {@code id} is a tenant (not, for example, one erased since); for platform work on tenant ids. */
    @Transactional
    public boolean exists(String id) {
        requireOperator();
        return tenants.findTenant(id).isPresent();
    }

    @Transactional
    public AdminTenantView suspend(String id, String reason) {
        requireOperator();
        Tenant tenant = findUndeleted(id);
        tenant.suspend(reason, clock.now());
        Map<String, Object> details = new HashMap<>();
        details.put("reason", reason);
        activity.fire(TenantActivity.onTenant(id, "tenant.suspended", details));
        statusChanged.fire(new TenantStatusChanged(id, TenantStatus.SUSPENDED));
        return AdminTenantView.of(tenant);
    }

    @Transactional
    public AdminTenantView resume(String id) {
        requireOperator();
        Tenant tenant = findUndeleted(id);
        tenant.resume(clock.now());
        activity.fire(TenantActivity.onTenant(id, "tenant.resumed", Map.of()));
        statusChanged.fire(new TenantStatusChanged(id, TenantStatus.ACTIVE));
        return AdminTenantView.of(tenant);
    }

    private Tenant findUndeleted(String id) {
        Tenant tenant = find(id);
        if (tenant.status().deleted()) {
            throw ProblemException.conflict("tenant-deleted",
                    "This tenant was deleted; restore it (POST /v1/admin/tenants/{id}/restore) first.");
        }
        return tenant;
    }

    private Tenant find(String id) {
        return tenants.findTenant(id).orElseThrow(() -> ProblemException.notFound("tenant", id));
    }

    private void requireOperator() {
        if (!context.operatorMode()) {
            throw ProblemException.forbidden("operator-only", "Only platform operators may do this.");
        }
    }
}
