package io.modelyard.dataset;

import io.modelyard.common.PlatformClock;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.OrphanSweeper;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Removes dataset blobs that no version row names: what a crash between storing and recording an upload
 * leaves, and what a failed delete left. Blobs a dataset's versions share (an image dataset's images,
 * thumbnails and index) are kept while the dataset has a version. Only keys under {@code tenants/<t>/datasets/} are candidates (model
 * artifacts and job checkpoints share {@code tenants/}); only blobs older than the grace period, so uploads in
 * flight are safe. Runs as platform maintenance, seeing every tenant's rows.
 */
@ApplicationScoped
public class DatasetBlobSweeper {

    private static final Logger LOG = Logger.getLogger(DatasetBlobSweeper.class);

    private final BlobStore blobs;
    private final DatasetVersionRepository versions;
    private final TenantScope tenantScope;
    private final PlatformClock clock;
    private final DatasetConfig config;

    DatasetBlobSweeper(BlobStore blobs, DatasetVersionRepository versions, TenantScope tenantScope,
            PlatformClock clock, DatasetConfig config) {
        this.blobs = blobs;
        this.versions = versions;
        this.tenantScope = tenantScope;
        this.clock = clock;
        this.config = config;
    }

    @Scheduled(every = "${modelyard.datasets.sweep.interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.sweep().enabled()) {
            return;
        }
        OrphanSweeper.Result result = sweep(config.sweep().grace());
        if (result.deletedBlobs() > 0 || result.abortedIncompleteWrites() > 0) {
            LOG.infof("Dataset sweep removed %d orphaned blobs (%d bytes) and %d unfinished writes",
                    result.deletedBlobs(), result.deletedBytes(), result.abortedIncompleteWrites());
        }
    }

    /** One sweep with {@code grace}; returns what it removed. */
    public OrphanSweeper.Result sweep(Duration grace) {
        return tenantScope.callAsPlatform("dataset-sweeper", () -> new OrphanSweeper(blobs, clock.clock())
                .sweep("tenants/", key -> !DatasetKeys.isDatasetKey(key) || referenced(key), grace));
    }

    private boolean referenced(String key) {
        String sharedBy = DatasetKeys.datasetOfSharedKey(key);
        return QuarkusTransaction.requiringNew().call(() -> sharedBy != null ? versions.hasVersions(sharedBy)
                : versions.references(key));
    }
}
