package io.modelyard.billing.metering;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.BillingConfig;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.PlatformConfig;
import io.modelyard.tenant.OperatorCredential;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Gives back capacity nobody settled: reservations past their expiry (a job was lost) and quota leases whose
 * process stopped renewing them (it died). A reservation row is deleted once, whoever comes first (a late settle
 * or the sweeper), and the counter follows in the same statement; a lease is reclaimed by {@code
 * quota_lease_reclaim}, which counts what its events in the ledger hold.
 */
@ApplicationScoped
class ReservationSweeper {

    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    private final AgroalDataSource dataSource;
    private final OperatorCredential operatorCredential;
    private final PlatformClock clock;
    private final PlatformConfig platform;
    private final BillingConfig config;

    ReservationSweeper(AgroalDataSource dataSource, OperatorCredential operatorCredential, PlatformClock clock, PlatformConfig platform,
            BillingConfig config) {
        this.dataSource = dataSource;
        this.operatorCredential = operatorCredential;
        this.clock = clock;
        this.platform = platform;
        this.config = config;
    }

    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            sweep();
            reclaimLeases();
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep expired reservations and leases", e);
        }
    }

    /** Releases every expired reservation; returns how many. */
    int sweep() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                operatorCredential.enterForTransaction(connection);
                int released;
                try (PreparedStatement statement = connection.prepareStatement("with gone as (delete from"
                        + " usage_reservations where id in (select id from usage_reservations where expires_at < ?"
                        + " order by expires_at limit 10000) returning tenant_id, meter, period_start, quantity),"
                        + " sums as (select tenant_id, meter, period_start, sum(quantity) as q, count(*) as n"
                        + " from gone group by 1, 2, 3),"
                        + " moved as (update quota_counters c set reserved = greatest(c.reserved - s.q, 0),"
                        + " updated_at = now() from sums s where c.tenant_id = s.tenant_id and c.meter = s.meter"
                        + " and c.period_start = s.period_start)"
                        + " select coalesce(sum(n), 0) from sums")) {
                    statement.setObject(1, clock.now().atOffset(ZoneOffset.UTC));
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        released = row.getInt(1);
                    }
                }
                connection.commit();
                return released;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not release expired reservations", e);
        }
    }

    /** Reclaims quota leases expired beyond the grace; returns how many. */
    int reclaimLeases() {
        return LeaseStore.reclaim(dataSource, config.leaseReclaimGrace().toMillis());
    }
}
