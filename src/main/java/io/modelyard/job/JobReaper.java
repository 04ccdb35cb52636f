package io.modelyard.job;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finds jobs whose worker stopped heartbeating (killed, hung, cut off) and returns them to the queue, or ends
 * them (see {@code reap_expired_jobs} in V20__jobs.sql). API processes run it too: KEDA starts workers only for
 * queued jobs, so a job held by a dead worker must be requeued even when no worker is left.
 */
@ApplicationScoped
class JobReaper {

    private static final Logger LOG = Logger.getLogger(JobReaper.class);

    private final JobQueue queue;
    private final JobsConfig config;
    private final PlatformConfig platform;
    private final JobWorker worker;

    JobReaper(JobQueue queue, JobsConfig config, PlatformConfig platform, JobWorker worker) {
        this.queue = queue;
        this.config = config;
        this.platform = platform;
        this.worker = worker;
    }

    @Scheduled(every = "${modelyard.jobs.reaper-interval:10s}", delayed = "${modelyard.jobs.reaper-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            reap();
        } catch (RuntimeException e) {
            LOG.warn("Could not reap expired job leases; will retry", e);
        }
    }

    /** Reaps every job whose lease has expired by now. */
    List<JobQueue.Reaped> reap() {
        List<JobQueue.Reaped> all = new ArrayList<>();
        List<JobQueue.Reaped> batch;
        do {
            batch = queue.reap(config.backoffBase(), config.backoffMax());
            all.addAll(batch);
        } while (batch.size() == 100);
        for (JobQueue.Reaped reaped : all) {
            LOG.warnf("Job %s: its worker stopped heartbeating; the lease expired and the job was %s",
                    reaped.jobId(), reaped.outcome());
        }
        if (all.stream().anyMatch(r -> r.outcome().equals("requeued"))) {
            worker.wake(null);
        }
        return all;
    }
}
