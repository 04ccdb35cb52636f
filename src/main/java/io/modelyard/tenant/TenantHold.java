package io.modelyard.tenant;

import io.modelyard.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Keeps the current tenant from being deleted or suspended until the transaction commits, for a transaction that
 * queues work in it. A deletion cancels the tenant's unfinished jobs in the transaction that marks it deleted; a
 * job committed just after that transaction looked would otherwise stay queued through the deletion, and run
 * after a restore. With the hold, the deletion waits for the job and cancels it, or went first and the job is
 * refused as the tenant's requests are.
 */
@ApplicationScoped
public class TenantHold {

    private final TenantRepository tenants;
    private final TenantContext context;

    TenantHold(TenantRepository tenants, TenantContext context) {
        this.tenants = tenants;
        this.context = context;
    }

    /** Shares the current tenant's row until commit; 401 or 403 when it was deleted or suspended meanwhile. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void holdActive() {
        String tenantId = context.requireTenant();
        Tenant tenant = tenants.share(tenantId)
                .orElseThrow(() -> new ProblemException(404, "tenant-not-found", "Not found", "No such tenant."));
        TenantContext.requireUsable(tenant.status);
    }
}
