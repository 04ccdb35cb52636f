package io.modelyard.export;

import io.modelyard.common.PlatformClock;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes export archives once {@code modelyard.exports.retention} has passed and marks their exports
 * {@code expired} (the row stays: the tenant can see that an export was made, and when). Finds them as platform
 * maintenance, across tenants, then enters each export's tenant to change it.
 */
@ApplicationScoped
class TenantExportSweeper {

    private static final Logger LOG = Logger.getLogger(TenantExportSweeper.class);
    private static final int BATCH = 500;

    private final TenantExportRepository repository;
    private final TenantExportService exports;
    private final BlobStore blobs;
    private final TenantScope tenantScope;
    private final PlatformClock clock;

    TenantExportSweeper(TenantExportRepository repository, TenantExportService exports, BlobStore blobs,
            TenantScope tenantScope, PlatformClock clock) {
        this.repository = repository;
        this.exports = exports;
        this.blobs = blobs;
        this.tenantScope = tenantScope;
        this.clock = clock;
    }

    @Scheduled(every = "${modelyard.exports.sweep-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int expired = sweep(clock.now());
        if (expired > 0) {
            LOG.infof("Deleted %d expired tenant export archives", expired);
        }
    }

    /** Deletes the archives of exports that expired by {@code now}; returns how many. */
    int sweep(Instant now) {
        int expired = 0;
        List<TenantExportRepository.Expiring> due;
        do {
            due = tenantScope.callAsPlatform("export-sweeper",
                    () -> QuarkusTransaction.requiringNew().call(() -> repository.expiredBy(now, BATCH)));
            for (TenantExportRepository.Expiring export : due) {
                // The blob first: if marking fails, the next sweep finds the export again and deletes nothing new.
                blobs.delete(ExportKeys.archive(export.tenantId(), export.id()));
                tenantScope.run(export.tenantId(), Actor.system("export-sweeper"),
                        () -> exports.markExpired(export.id()));
                expired++;
            }
        } while (due.size() == BATCH);
        return expired;
    }
}
