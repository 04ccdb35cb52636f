package io.modelyard.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * {@code last_used_at} without a database write per request: uses are collected in memory and written back in
 * one statement every few seconds (and at shutdown).
 */
@ApplicationScoped
class ApiKeyUsage {

    private static final Logger LOG = Logger.getLogger(ApiKeyUsage.class);

    private final AgroalDataSource dataSource;
    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();

    ApiKeyUsage(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    void recordUse(String keyId, Instant at) {
        Instant previous = pending.get(keyId);
        if (previous == null || previous.isBefore(at)) {
            pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    @Scheduled(every = "${modelyard.api-keys.last-used-flush-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Instant> batch = new HashMap<>();
        for (String keyId : pending.keySet()) {
            Instant used = pending.remove(keyId);
            if (used != null) {
                batch.put(keyId, used);
            }
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select touch_api_keys(?, ?)")) {
            statement.setArray(1, connection.createArrayOf("text", batch.keySet().toArray()));
            statement.setArray(2, connection.createArrayOf("timestamptz",
                    batch.values().stream().map(Timestamp::from).toArray()));
            statement.execute();
        } catch (SQLException e) {
            LOG.warn("Could not record API key use; will retry", e);
            batch.forEach(this::recordUse);
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        flush();
    }
}
