package io.modelyard.job;

import io.modelyard.tenant.TenantStatus;
import io.modelyard.tenant.TenantStatusChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * A deleted tenant runs nothing more: its unfinished jobs are cancelled in the transaction that deletes it (which
 * runs inside that tenant), so a restore brings back its data but not its queue.
 */
@ApplicationScoped
class DeletedTenantJobs {

    private static final Logger LOG = Logger.getLogger(DeletedTenantJobs.class);

    private final JobService jobs;

    DeletedTenantJobs(JobService jobs) {
        this.jobs = jobs;
    }

    void tenantStatusChanged(@Observes(during = TransactionPhase.IN_PROGRESS) TenantStatusChanged change) {
        if (change.status() == TenantStatus.DELETING) {
            int cancelled = jobs.cancelAllUnfinished();
            if (cancelled > 0) {
                LOG.infof("Tenant %s deleted: %d unfinished jobs cancelled", change.tenantId(), cancelled);
            }
        }
    }
}
