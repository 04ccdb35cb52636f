package io.modelyard.lifecycle;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetService;
import io.modelyard.model.ModelRegistry;
import io.modelyard.serving.batch.BatchResultRetention;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantRetention;
import io.modelyard.tenant.TenantScope;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Applies the retention tenants opted into: their datasets, models and batch results older than their settings are
 * deleted through the same services a person would use (so each deletion is checked, audited and cleaned up the
 * same way), as the system actor {@code retention}. A model an alias points at is deployed and kept; a dataset an
 * unfinished job reads is kept until the next sweep.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);
    static final Actor RETENTION = new Actor(Actor.Type.SYSTEM, "retention", "data retention", null,
            EnumSet.of(Permission.READ, Permission.DATASETS_WRITE, Permission.JOBS_WRITE));

    /** What one sweep deleted across tenants. */
    public record Outcome(int datasets, int models, int batchResults) {
    }

    private record Opted(String tenantId, TenantRetention retention) {
    }

    private final OperatorTransactions operator;
    private final TenantScope scope;
    private final DatasetService datasets;
    private final ModelRegistry models;
    private final BatchResultRetention batchResults;
    private final PlatformConfig platform;
    private final PlatformClock clock;

    RetentionSweeper(OperatorTransactions operator, TenantScope scope,
            DatasetService datasets, ModelRegistry models, BatchResultRetention batchResults, PlatformConfig platform,
            PlatformClock clock) {
        this.operator = operator;
        this.scope = scope;
        this.datasets = datasets;
        this.models = models;
        this.batchResults = batchResults;
        this.platform = platform;
        this.clock = clock;
    }

    @Scheduled(every = "${modelyard.tenants.retention.interval:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            Outcome outcome = sweep(clock.now());
            if (outcome.datasets() + outcome.models() + outcome.batchResults() > 0) {
                LOG.infof("Retention deleted %d datasets, %d models and %d batch results", outcome.datasets(),
                        outcome.models(), outcome.batchResults());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not apply tenants' retention; will retry", e);
        }
    }

    /** Deletes what every opted-in tenant's retention says is too old at {@code now}. */
    public Outcome sweep(Instant now) {
        int deletedDatasets = 0;
        int deletedModels = 0;
        int deletedResults = 0;
        for (Opted opted : optedIn()) {
            TenantRetention retention = opted.retention();
            int[] counts = scope.call(opted.tenantId(), RETENTION, () -> new int[] {
                retention.datasetsDays() == null ? 0 : deleteDatasets(before(now, retention.datasetsDays())),
                retention.modelsDays() == null ? 0 : deleteModels(before(now, retention.modelsDays())),
                retention.batchResultsDays() == null ? 0 : batchResults.deleteWrittenBefore(opted.tenantId(),
                        before(now, retention.batchResultsDays()))});
            deletedDatasets += counts[0];
            deletedModels += counts[1];
            deletedResults += counts[2];
        }
        return new Outcome(deletedDatasets, deletedModels, deletedResults);
    }

    private int deleteDatasets(Instant cutoff) {
        int deleted = 0;
        for (String id : datasets.createdBefore(cutoff)) {
            try {
                datasets.delete(id);
                deleted++;
            } catch (ProblemException e) {
                LOG.debugf("Retention kept dataset %s for now: %s", id, e.getMessage());   // in use by a job
            }
        }
        return deleted;
    }

    private int deleteModels(Instant cutoff) {
        int deleted = 0;
        for (String id : models.createdBefore(cutoff)) {
            try {
                models.delete(id);
                deleted++;
            } catch (ProblemException e) {
                LOG.debugf("Retention kept model %s: %s", id, e.getMessage());   // an alias points at it
            }
        }
        return deleted;
    }

    private static Instant before(Instant now, int days) {
        return now.minus(Duration.ofDays(days));
    }

    private List<Opted> optedIn() {
        return operator.call("listing tenants' retention", connection -> {
            List<Opted> opted = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("select id, datasets_retention_days,"
                    + " models_retention_days, batch_results_retention_days from tenants where status = 'active'"
                    + " and (datasets_retention_days is not null or models_retention_days is not null"
                    + " or batch_results_retention_days is not null) order by id");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    opted.add(new Opted(rows.getString(1), new TenantRetention(days(rows, 2), days(rows, 3),
                            days(rows, 4))));
                }
            }
            return opted;
        });
    }

    private static Integer days(ResultSet rows, int column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
