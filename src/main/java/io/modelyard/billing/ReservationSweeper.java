package io.modelyard.billing;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.PlatformConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Gives back capacity held by reservations nobody settled (an instance died mid-request, a job was lost): once
 * expired they are released through the writer, which deletes each row once, so a late settle and the sweeper
 * never both give it back.
 */
@ApplicationScoped
class ReservationSweeper {

    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    private final AgroalDataSource dataSource;
    private final UsageWriter writer;
    private final PlatformClock clock;
    private final PlatformConfig platform;

    ReservationSweeper(AgroalDataSource dataSource, UsageWriter writer, PlatformClock clock, PlatformConfig platform) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.clock = clock;
        this.platform = platform;
    }

    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (platform.role() == DeploymentRole.MIGRATE) {
            return;
        }
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep expired reservations", e);
        }
    }

    /** Releases every expired reservation; returns how many were found. */
    int sweep() {
        Map<String, List<String>> expired = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement operator = connection.prepareStatement(
                        "select set_config('modelyard.operator', 'on', true)")) {
                    operator.execute();
                }
                try (PreparedStatement statement = connection.prepareStatement("select tenant_id, id from"
                        + " usage_reservations where expires_at < ? order by expires_at limit 10000")) {
                    statement.setObject(1, clock.now().atOffset(java.time.ZoneOffset.UTC));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            expired.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(rows.getString(2));
                        }
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read expired reservations", e);
        }
        List<CompletableFuture<Charge.Outcome>> pending = new ArrayList<>();
        expired.forEach((tenantId, ids) -> pending.add(writer.submit(new Charge(tenantId,
                Origin.system("reservation-sweeper"), clock.now(), List.of(), List.of(), ids, false, false,
                new CompletableFuture<>()))));
        pending.forEach(CompletableFuture::join);
        return expired.values().stream().mapToInt(List::size).sum();
    }
}
