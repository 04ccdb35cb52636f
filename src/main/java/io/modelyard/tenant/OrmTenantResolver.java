package io.modelyard.tenant;

import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ORM half of tenant isolation: Hibernate adds {@code tenant_id = :current} to every query on an entity with
 * a {@code @TenantId} field, and fills that field on insert. Outside any tenant the value matches no row.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class OrmTenantResolver implements TenantResolver {

    static final String NO_TENANT = "-";

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        if (!Arc.container().requestContext().isActive()) {
            return NO_TENANT;
        }
        String tenant = Arc.container().instance(TenantContext.class).get().databaseTenantId();
        return tenant.isEmpty() ? NO_TENANT : tenant;
    }
}
