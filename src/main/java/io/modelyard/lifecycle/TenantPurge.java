package io.modelyard.lifecycle;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.encryption.TenantDataKeys;
import io.modelyard.tenant.TenantErased;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Erases deleted tenants whose grace period has ended: its data key first (crypto-shredding), every blob under the
 * tenant's prefix, then every row of
 * every tenant table but the billing records kept by law (see V81__tenant_erasure.sql), a batch per transaction.
 * Each step is idempotent, so a purge killed at any point (kill -9 included) finishes on the next run, in this
 * process or another; several processes purging the same tenant at once only repeat each other's deletes. The
 * database refuses to erase a tenant that is not deleted and due, whatever this code asks.
 */
@ApplicationScoped
public class TenantPurge {

    private static final Logger LOG = Logger.getLogger(TenantPurge.class);

    /** What one purge removed: rows per table, and blobs. */
    public record Outcome(String tenantId, Map<String, Long> rowsByTable, long blobs, boolean finished) {
    }

    private final OperatorTransactions operator;
    private final BlobStore blobs;
    private final ErasureConfig config;
    private final PlatformConfig platform;
    private final Event<TenantErased> erased;
    private final TenantDataKeys dataKeys;
    private final TenantScope scope;

    TenantPurge(OperatorTransactions operator, BlobStore blobs,
            ErasureConfig config, PlatformConfig platform, Event<TenantErased> erased, TenantDataKeys dataKeys,
            TenantScope scope) {
        this.dataKeys = dataKeys;
        this.scope = scope;
        this.operator = operator;
        this.blobs = blobs;
        this.config = config;
        this.platform = platform;
        this.erased = erased;
    }

    @Scheduled(every = "${modelyard.tenants.erasure.interval:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            for (String tenantId : dueTenants()) {
                Outcome outcome = purge(tenantId, Integer.MAX_VALUE);
                LOG.infof("Tenant %s erased: %d blobs and %s rows deleted", tenantId, outcome.blobs(),
                        outcome.rowsByTable());
            }
            int retired = retireErasedTenants();
            if (retired > 0) {
                LOG.infof("Dropped the kept billing records of %d tenants erased over %s ago", retired,
                        config.billingRetention());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not erase deleted tenants; will retry", e);
        }
    }

    /** Deleted tenants whose grace period has ended, oldest deadline first. */
    public List<String> dueTenants() {
        return operator.call("erasure step", connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("select id from tenants"
                    + " where status = 'deleting' and erase_after <= now() order by erase_after limit 100");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    /**
     * Erases the tenant, stopping after {@code maxBatches} row batches (a partial purge, as if killed; the next
     * call goes on). The database refuses unless the tenant is deleted and due.
     */
    public Outcome purge(String tenantId, int maxBatches) {
        // Before anything is gone: every process unloads the tenant's models and forgets its names.
        operator.call("erasure step", connection -> {
            requireDue(connection, tenantId);
            // Its API keys' rate buckets are named by key id ("k:<id>"): found through the key rows, which go below.
            try (PreparedStatement statement = connection.prepareStatement("delete from rate_buckets"
                    + " where key in (select 'k:' || id from api_keys where tenant_id = ?)")) {
                statement.setString(1, tenantId);
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("select pg_notify(?, ?)")) {
                statement.setString(1, TenantErased.CHANNEL);
                statement.setString(2, tenantId);
                statement.execute();
            }
            return null;
        });
        erased.fire(new TenantErased(tenantId));
        // Crypto-shredding before deleting: copies of its blobs in backups or a lagging replica of the store
        // become unreadable too.
        scope.callAsPlatform("erasure", () -> QuarkusTransaction.requiringNew()
                .call(() -> dataKeys.destroy(tenantId)));
        long deletedBlobs = blobs.deleteByPrefix(prefix(tenantId));
        Map<String, Long> rows = new LinkedHashMap<>();
        for (int batch = 0; batch < maxBatches; batch++) {
            Map.Entry<String, Long> deleted = eraseBatch(tenantId);
            if (deleted == null) {
                operator.call("erasure step", connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(
                            "select finish_tenant_erasure(?)")) {
                        statement.setString(1, tenantId);
                        statement.execute();
                    }
                    return null;
                });
                // A blob written by a job that was still stopping when the purge began has no row left either.
                deletedBlobs += blobs.deleteByPrefix(prefix(tenantId));
                return new Outcome(tenantId, rows, deletedBlobs, true);
            }
            rows.merge(deleted.getKey(), deleted.getValue(), Long::sum);
        }
        return new Outcome(tenantId, rows, deletedBlobs, false);
    }

    /** Drops erased tenants' tombstones and kept billing records past their retention; returns how many. */
    public int retireErasedTenants() {
        return operator.call("erasure step", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select retire_erased_tenants(?::interval)")) {
                statement.setString(1, config.billingRetention().getSeconds() + " seconds");
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        });
    }

    private Map.Entry<String, Long> eraseBatch(String tenantId) {
        return operator.call("erasure step", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select table_name, deleted from erase_tenant_rows(?, ?)")) {
                statement.setString(1, tenantId);
                statement.setInt(2, config.batchSize());
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Map.entry(row.getString(1), row.getLong(2)) : null;
                }
            }
        });
    }

    private static void requireDue(Connection connection, String tenantId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select 1 from tenants where id = ? and status = 'deleting' and erase_after <= now()")) {
            statement.setString(1, tenantId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("tenant " + tenantId + " is not due for erasure");
                }
            }
        }
    }

    static String prefix(String tenantId) {
        return "tenants/" + tenantId + "/";
    }
}
