package io.modelyard.billing;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every plan, read from the database at once and kept in memory (there are a handful). Operators' edits evict
 * it on every instance (see {@link BillingInvalidations}); the TTL is only a backstop.
 */
@ApplicationScoped
class PlanCatalog {

    private final AgroalDataSource dataSource;
    private final long ttlNanos;
    private volatile Map<String, Plan> plans;
    private volatile long loadedAt;

    PlanCatalog(AgroalDataSource dataSource, BillingConfig config) {
        this.dataSource = dataSource;
        this.ttlNanos = config.planCacheTtl().toNanos();
    }

    Optional<Plan> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    List<Plan> all() {
        return new ArrayList<>(current().values());
    }

    void invalidate() {
        plans = null;
    }

    private Map<String, Plan> current() {
        Map<String, Plan> snapshot = plans;
        if (snapshot == null || System.nanoTime() - loadedAt > ttlNanos) {
            snapshot = load();
            plans = snapshot;
            loadedAt = System.nanoTime();
        }
        return snapshot;
    }

    private Map<String, Plan> load() {
        try (Connection connection = dataSource.getConnection()) {
            return read(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the plans", e);
        }
    }

    /** Reads every plan through {@code connection} (inside a transaction: what it sees, uncommitted edits too). */
    static Map<String, Plan> read(Connection connection) throws SQLException {
        Map<String, Map<Meter, Plan.MeterTerms>> terms = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "select plan, meter, included, quota, quota_limit, unit_price from plan_meters");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                terms.computeIfAbsent(rows.getString(1), p -> new EnumMap<>(Meter.class))
                        .put(Meter.fromWire(rows.getString(2)), new Plan.MeterTerms(rows.getBigDecimal(3),
                                Plan.Quota.fromWire(rows.getString(4)), rows.getBigDecimal(5),
                                rows.getBigDecimal(6)));
            }
        }
        Map<String, Plan> loaded = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("select name, display_name, currency,"
                + " base_price, max_upload_bytes, storage_cap_bytes, max_concurrent_jobs, key_rate, key_burst,"
                + " tenant_rate, tenant_burst, created_at, updated_at from plans order by base_price, name");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                loaded.put(name, new Plan(name, rows.getString(2), rows.getString(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), rows.getInt(7),
                        new Plan.RateLimits(rows.getBigDecimal(8), rows.getInt(9), rows.getBigDecimal(10),
                                rows.getInt(11)),
                        Collections.unmodifiableMap(terms.getOrDefault(name, new EnumMap<>(Meter.class))),
                        rows.getTimestamp(12).toInstant(), rows.getTimestamp(13).toInstant()));
            }
        }
        return Collections.unmodifiableMap(loaded);
    }
}
