package io.modelyard.billing.plans;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantPlanAssignment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
 * The plans room's door: every plan, as stored in {@code plans} and {@code plan_meters} (operators edit them),
 * and which plan each tenant is on (read through the tenant package, which owns {@code tenants}).
 *
 * <p>Every plan is read from the database at once and kept in memory (there are a handful); so is each tenant's
 * plan name, for what runs on every request (rate limits). Plan edits and plan changes evict them on every
 * instance (metering's {@code BillingInvalidations} calls {@link #forgetAll} and {@link #forget}); the TTL is only
 * a backstop.
 */
@ApplicationScoped
public class Plans {

    private final TenantContext context;
    private final TenantPlanAssignment assignments;
    private final AgroalDataSource dataSource;
    private final long ttlNanos;
    private final Cache<String, String> planOfTenant;
    private volatile Map<String, Plan> plans;
    private volatile long loadedAt;

    Plans(TenantContext context, TenantPlanAssignment assignments, AgroalDataSource dataSource, BillingConfig config) {
        this.context = context;
        this.assignments = assignments;
        this.dataSource = dataSource;
        this.ttlNanos = config.planCacheTtl().toNanos();
        this.planOfTenant = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.planCacheTtl())
                .build();
    }

    /**
     * The current tenant's limits: which plan it is on, read in the caller's transaction (one query, as the join of
     * tenants and plans it replaces), and that plan's limits from memory, which follows operators' edits as rate
     * limits do. A plan this instance does not know yet (created moments ago elsewhere) is read again, not refused.
     */
    @Transactional
    public PlanLimits limitsOfCurrentTenant() {
        String name = assignments.planOf(context.requireTenant()).orElse(null);
        Plan plan = name == null ? null : find(name).or(() -> {
            plans = null;
            return find(name);
        }).orElse(null);
        if (plan == null) {
            throw new ProblemException(500, "plan-missing", "Internal error", "The tenant's plan is not configured.");
        }
        return plan.limits();
    }

    /** The plan named {@code name}, from memory. */
    public Optional<Plan> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    /** Every plan, cheapest first, from memory. */
    public List<Plan> all() {
        return new ArrayList<>(current().values());
    }

    /** The plan of the current request's tenant, from memory: for the request path (rate limits). */
    public Optional<Plan> ofTenant(String tenantId) {
        String name = planOfTenant.get(tenantId, this::loadPlanName);
        return name == null ? Optional.empty() : find(name);
    }

    /**
     * The limits of the tenant's plan, from memory as {@link #ofTenant} (the same cache the rate limits fill): for
     * limits checked on every request, which must not query the database.
     */
    public Optional<PlanLimits> limitsOfTenant(String tenantId) {
        return ofTenant(tenantId).map(Plan::limits);
    }

    /** Forgets the tenant's plan: it changed plan. */
    public void forget(String tenantId) {
        planOfTenant.invalidate(tenantId);
    }

    /** Forgets every plan and every tenant's plan: a plan was edited, or changes may have been missed. */
    public void forgetAll() {
        plans = null;
        planOfTenant.invalidateAll();
    }

    /** Reads every plan through {@code connection} (inside a transaction: what it sees, uncommitted edits too). */
    public static Map<String, Plan> read(Connection connection) throws SQLException {
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
                + " tenant_rate, tenant_burst, created_at, updated_at, max_image_pixels_per_request from plans"
                + " order by base_price, name");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String name = rows.getString(1);
                loaded.put(name, new Plan(name, rows.getString(2), rows.getString(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), rows.getInt(7), rows.getObject(14, Long.class),
                        new Plan.RateLimits(rows.getBigDecimal(8), rows.getInt(9), rows.getBigDecimal(10),
                                rows.getInt(11)),
                        Collections.unmodifiableMap(terms.getOrDefault(name, new EnumMap<>(Meter.class))),
                        rows.getTimestamp(12).toInstant(), rows.getTimestamp(13).toInstant()));
            }
        }
        return Collections.unmodifiableMap(loaded);
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

    private String loadPlanName(String tenantId) {
        return assignments.planOutsideTransaction(tenantId).orElse(null);
    }
}
