package io.modelyard.tenant;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which plan a tenant is on: the {@code tenants.plan} column, for billing (which owns the plans themselves and the
 * history of changes). The tenant package owns the {@code tenants} table; billing reads and moves a tenant's plan
 * only through here. Row-level security applies: a tenant sees its own row, an operator every row.
 */
@ApplicationScoped
public class TenantPlanAssignment {

    /** A tenant's plan, and when its row last changed. */
    public record Assignment(String plan, Instant updatedAt) {
    }

    private final EntityManager entityManager;
    private final AgroalDataSource dataSource;

    TenantPlanAssignment(EntityManager entityManager, AgroalDataSource dataSource) {
        this.entityManager = entityManager;
        this.dataSource = dataSource;
    }

    /** The tenant's plan, in the caller's transaction; empty when there is no such tenant (or it is not visible). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> planOf(String tenantId) {
        return read(tenantId, false).map(Assignment::plan);
    }

    /**
     * The tenant's plan, read on a connection of its own, outside any transaction: for what caches it on the
     * request path (billing's rate limits).
     */
    public Optional<String> planOutsideTransaction(String tenantId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement("select plan from tenants where id = ?")) {
            statement.setString(1, tenantId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the tenant's plan", e);
        }
    }

    /**
     * The tenant's plan and last change, in the caller's transaction; {@code lock} locks the tenant's row until the
     * caller commits, which serialises plan changes of one tenant.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Assignment> read(String tenantId, boolean lock) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select plan, updated_at from tenants where id = ?" + (lock ? " for update" : ""))) {
                statement.setString(1, tenantId);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(new Assignment(row.getString(1), row.getTimestamp(2).toInstant()))
                            : Optional.<Assignment>empty();
                }
            }
        });
    }

    /** Moves the tenant to {@code plan} (which the caller has checked exists), in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void assign(String tenantId, String plan, Instant at) {
        entityManager.createNativeQuery("update tenants set plan = ?1, updated_at = ?2 where id = ?3")
                .setParameter(1, plan).setParameter(2, at).setParameter(3, tenantId).executeUpdate();
    }
}
