package io.modelyard.serving.batch;

import io.modelyard.common.PlatformClock;
import io.modelyard.job.JobService;
import io.modelyard.storage.BlobEntry;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Deletes uploaded inputs no live batch prediction reads: the job's end normally deletes its input, but not when
 * the process died between storing the file and enqueueing its job, or a job ran out of retryable attempts.
 */
@ApplicationScoped
class BatchInputSweeper {

    private static final Logger LOG = Logger.getLogger(BatchInputSweeper.class);
    /** Far longer than a create takes between storing its file and committing its job. */
    private static final Duration GRACE = Duration.ofHours(1);

    private final BatchUploads uploads;
    private final TenantScope tenants;
    private final JobService jobs;
    private final PlatformClock clock;

    BatchInputSweeper(BatchUploads uploads, TenantScope tenants, JobService jobs, PlatformClock clock) {
        this.uploads = uploads;
        this.tenants = tenants;
        this.jobs = jobs;
        this.clock = clock;
    }

    @Scheduled(every = "${modelyard.batch.sweep-interval:1h}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int deleted = sweep("tenants/", clock.now().minus(GRACE));
        if (deleted > 0) {
            LOG.infof("Deleted %d orphaned batch prediction inputs", deleted);
        }
    }

    /** Deletes the inputs under {@code prefix} stored before {@code before} that no unfinished job reads. */
    int sweep(String prefix, Instant before) {
        Set<String> live = liveKeys();
        int deleted = 0;
        for (BlobEntry entry : uploads.list(prefix)) {
            if (entry.lastModified().isBefore(before) && !live.contains(entry.key())) {
                uploads.delete(entry.key());
                deleted++;
            }
        }
        return deleted;
    }

    /** Inputs of every tenant's queued, running or cancelling batch predictions. */
    private Set<String> liveKeys() {
        return tenants.callAsPlatform("batch-inputs", () -> QuarkusTransaction.requiringNew().call(
                () -> jobs.livePayloadValues(BatchPredictionHandler.TYPE, "input_blob_key")));
    }
}
