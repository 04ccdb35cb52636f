package io.modelyard.serving.batch;

import io.modelyard.common.PlatformClock;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes result files older than {@code modelyard.batch.result-retention} (results are copies a tenant
 * downloads, not records: keeping them for ever would bill the tenant storage it has forgotten about), and
 * files no succeeded batch prediction owns: its tenant or job is gone, or the job ended without succeeding.
 */
@ApplicationScoped
class BatchResultSweeper {

    private static final Logger LOG = Logger.getLogger(BatchResultSweeper.class);

    private final BatchResults results;
    private final BatchResultOwners owners;
    private final PlatformClock clock;
    private final BatchConfig config;

    BatchResultSweeper(BatchResults results, BatchResultOwners owners, PlatformClock clock, BatchConfig config) {
        this.results = results;
        this.owners = owners;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${modelyard.batch.sweep-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int deleted = sweep("tenants/", clock.now().minus(config.resultRetention()));
        if (deleted > 0) {
            LOG.infof("Deleted %d batch prediction results (older than %s, or orphaned)", deleted,
                    config.resultRetention());
        }
    }

    /**
     * Deletes the result files under {@code prefix} written before {@code before}, and orphaned ones; returns
     * how many.
     */
    int sweep(String prefix, Instant before) {
        int deleted = 0;
        for (BatchResults.Stored stored : results.list(prefix)) {
            if (stored.blob().lastModified().isBefore(before) || owners.orphaned(stored)) {
                results.delete(stored);
                deleted++;
            }
        }
        return deleted;
    }
}
