package io.modelyard.billing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Which plan each tenant is on, from memory, for what runs on every request (rate limits). A plan change evicts
 * the tenant on every instance (see {@link BillingInvalidations}); the TTL is only a backstop.
 */
@ApplicationScoped
class TenantPlans {

    private final AgroalDataSource dataSource;
    private final PlanCatalog catalog;
    private final Cache<String, String> planOfTenant;

    TenantPlans(AgroalDataSource dataSource, PlanCatalog catalog, BillingConfig config) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.planOfTenant = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(config.planCacheTtl())
                .build();
    }

    /** The plan of the current request's tenant (the row is visible only inside that tenant). */
    Optional<Plan> planOfCurrentTenant(String tenantId) {
        String name = planOfTenant.get(tenantId, this::load);
        return name == null ? Optional.empty() : catalog.find(name);
    }

    void evict(String tenantId) {
        planOfTenant.invalidate(tenantId);
    }

    void evictAll() {
        planOfTenant.invalidateAll();
    }

    private String load(String tenantId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select plan from tenants where id = ?")) {
            statement.setString(1, tenantId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the tenant's plan", e);
        }
    }
}
