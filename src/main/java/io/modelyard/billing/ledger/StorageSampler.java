package io.modelyard.billing.ledger;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.PlatformConfig;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.OperatorCredential;
import io.modelyard.tenant.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Charges {@code storage_byte_hours} once per tenant and hour: bytes stored now (the sum of every
 * {@link StorageFootprint}) × one hour, with the idempotency key {@code storage_byte_hours:<tenant>:<hour>}, so
 * that every instance may sample and any number of samples in an hour charge it once (recorded in a transaction
 * of its own per tenant, where the ledger enforces the key). Hours missed while nothing
 * ran (all instances scaled to zero; nothing could be uploaded or deleted either) are filled in at the current
 * footprint, up to {@code modelyard.billing.storage-catch-up-hours}. Storage is never refused here: the storage
 * cap is enforced on upload (see {@code plans.Plans}).
 */
@ApplicationScoped
class StorageSampler {

    private static final Logger LOG = Logger.getLogger(StorageSampler.class);
    static final String KEY_PREFIX = "storage_byte_hours:";

    private final Instance<StorageFootprint> footprints;
    private final UsageRecorder recorder;
    private final TenantScope tenantScope;
    private final AgroalDataSource dataSource;
    private final OperatorCredential operatorCredential;
    private final PlatformClock clock;
    private final PlatformConfig platform;
    private final BillingConfig config;

    StorageSampler(Instance<StorageFootprint> footprints, UsageRecorder recorder, TenantScope tenantScope,
            AgroalDataSource dataSource, OperatorCredential operatorCredential, PlatformClock clock, PlatformConfig platform, BillingConfig config) {
        this.footprints = footprints;
        this.recorder = recorder;
        this.tenantScope = tenantScope;
        this.dataSource = dataSource;
        this.operatorCredential = operatorCredential;
        this.clock = clock;
        this.platform = platform;
        this.config = config;
    }

    @Scheduled(every = "${modelyard.billing.storage-sampling-every:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warn("Storage sampling failed; the next run fills the gap", e);
        }
    }

    /** Samples now; returns how many tenant-hours were charged (0 when this hour was charged before). */
    int sample() {
        Instant now = clock.now();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Map<String, Long> bytes = tenantScope.callAsPlatform("storage-sampler", this::storedBytes);
        if (bytes.isEmpty()) {
            return 0;
        }
        Map<String, Instant> lastCharged = lastChargedHours(hour.minus(Duration.ofHours(config.storageCatchUpHours())));
        int charged = 0;
        for (Map.Entry<String, Long> entry : bytes.entrySet()) {
            if (entry.getValue() <= 0) {
                continue;
            }
            Instant last = lastCharged.get(entry.getKey());
            Instant first = last == null ? hour : last.plus(1, ChronoUnit.HOURS);
            List<Instant> hours = new ArrayList<>();
            for (Instant h = first; !h.isAfter(hour); h = h.plus(1, ChronoUnit.HOURS)) {
                hours.add(h);
            }
            long stored = entry.getValue();
            charged += tenantScope.call(entry.getKey(), Actor.system("storage-sampler"),
                    () -> QuarkusTransaction.requiringNew().call(() -> {
                        int recorded = 0;
                        for (Instant h : hours) {
                            Usage usage = Usage.of(Meter.STORAGE_BYTE_HOURS, stored, KEY_PREFIX + entry.getKey()
                                    + ":" + h).withAttributes(Map.of("bytes", Long.toString(stored), "hour",
                                    h.toString()));
                            recorded += recorder.record(usage, h) ? 1 : 0;
                        }
                        return recorded;
                    }));
        }
        return charged;
    }

    private Map<String, Long> storedBytes() {
        Map<String, Long> total = new HashMap<>();
        for (StorageFootprint footprint : footprints) {
            footprint.storedBytesByTenant().forEach((tenant, bytes) -> total.merge(tenant, bytes, Long::sum));
        }
        return total;
    }

    /** The last hour charged per tenant, within the catch-up window. */
    private Map<String, Instant> lastChargedHours(Instant since) {
        Map<String, Instant> last = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                operatorCredential.enterForTransaction(connection);
                // from the ledger, not the roll-ups: an hour charged moments ago may not be aggregated yet
                try (PreparedStatement statement = connection.prepareStatement("select tenant_id,"
                        + " max(date_trunc('hour', occurred_at)) from usage_events"
                        + " where meter = 'storage_byte_hours' and occurred_at >= ? group by tenant_id")) {
                    statement.setObject(1, since.atOffset(java.time.ZoneOffset.UTC));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            last.put(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant());
                        }
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the last storage samples", e);
        }
        return last;
    }
}
