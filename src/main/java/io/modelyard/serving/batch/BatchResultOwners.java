package io.modelyard.serving.batch;

import io.modelyard.common.ProblemException;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Whose a stored result file is, asked of the job queue inside the file's tenant: the blob store knows keys, not
 * tenants or jobs, and a file may outlive its job (a worker that died between storing and recording, a tenant
 * that is gone).
 */
@ApplicationScoped
class BatchResultOwners {

    private static final Actor READER = new Actor(Actor.Type.SYSTEM, "batch-results", "batch results", null,
            EnumSet.of(Permission.READ));

    private final JobService jobs;
    private final TenantScope tenants;

    BatchResultOwners(JobService jobs, TenantScope tenants) {
        this.jobs = jobs;
        this.tenants = tenants;
    }

    /** The state of the batch prediction that wrote {@code stored}, or empty when there is none (an orphan). */
    Optional<JobState> stateOf(BatchResults.Stored stored) {
        return tenants.call(stored.tenantId(), READER, () -> {
            try {
                JobView job = jobs.get(stored.jobId());
                return BatchPredictionHandler.TYPE.equals(job.type()) ? Optional.of(job.state()) : Optional.empty();
            } catch (ProblemException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /**
     * A file to delete: its job is gone, or ended without succeeding (the run that stored it could not record
     * it). A file of a job still queued or running is being written or recorded right now and is left alone.
     */
    boolean orphaned(BatchResults.Stored stored) {
        Optional<JobState> state = stateOf(stored);
        return state.isEmpty() || state.get() == JobState.FAILED || state.get() == JobState.CANCELLED;
    }
}
