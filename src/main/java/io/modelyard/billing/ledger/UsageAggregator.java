package io.modelyard.billing.ledger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelyard.billing.BillingConfig;
import io.modelyard.common.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Derives usage counters and the hourly and daily roll-ups from the ledger, incrementally: every round counts
 * what each writer stream appended beyond its watermark, and what other transactions queued in
 * {@code usage_pending}, then moves the watermarks — in one transaction ({@code usage_aggregate}, V50). Every
 * API process runs it; one at a time counts (a row lock), and a round that lost a race rolls back rather than
 * count twice. The ledger is therefore the one source: counters and roll-ups are always exactly the ledger as of
 * {@link #aggregatedAt()}, at most a round behind it.
 */
@ApplicationScoped
public class UsageAggregator {

    private static final Logger LOG = Logger.getLogger(UsageAggregator.class);
    private static final String SERIALIZATION_FAILURE = "40001";

    private final AgroalDataSource dataSource;
    private final BillingConfig config;
    private final PlatformConfig platform;
    private final UsageWriter writer;
    private final Counter counted;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "usage-aggregator");
        t.setDaemon(true);
        return t;
    });

    UsageAggregator(AgroalDataSource dataSource, BillingConfig config, PlatformConfig platform, UsageWriter writer,
            MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.platform = platform;
        this.writer = writer;
        this.counted = Counter.builder("modelyard.usage.events.aggregated")
                .description("Ledger events counted into counters and roll-ups by this process").register(registry);
    }

    /**
     * On processes that serve the API (which answers for the counters), on a thread of its own rather than the
     * scheduler's: tests and small installations run it more than once a second.
     */
    void start(@Observes StartupEvent event) {
        if (!platform.role().servesPublicApi()) {
            return;
        }
        long every = Math.max(10, config.aggregationInterval().toMillis());
        thread.scheduleWithFixedDelay(this::scheduled, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        thread.shutdownNow();
    }

    private void scheduled() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.warn("A usage aggregation round failed; the next one picks up the same events", e);
        }
    }

    /** One round: the number of events counted, or -1 when another process was counting. */
    long round() {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement statement = connection.prepareStatement("select usage_aggregate(?)")) {
                statement.setInt(1, config.aggregationBatch());
                long result;
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    result = row.getLong(1);
                }
                connection.commit();
                if (result > 0) {
                    counted.increment(result);
                }
                return result;
            } catch (SQLException e) {
                connection.rollback();
                if (SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                    return -1;
                }
                throw e;
            } finally {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not aggregate usage", e);
        }
    }

    /**
     * Everything written so far is counted when this returns: queued usage is written first, then rounds run
     * until one that started after this call completed.
     */
    public void catchUp() {
        writer.drain();
        Instant since = databaseNow();
        while (aggregatedAt().isBefore(since)) {
            if (round() < 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Everything committed to the ledger before this instant is in counters and roll-ups. */
    Instant aggregatedAt() {
        return instant("select aggregated_at from usage_aggregation where id = 1");
    }

    private Instant databaseNow() {
        return instant("select now()");
    }

    private Instant instant(String sql) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the aggregation state", e);
        }
    }
}
