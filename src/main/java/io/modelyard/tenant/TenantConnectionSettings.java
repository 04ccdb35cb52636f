package io.modelyard.tenant;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jboss.logging.Logger;

/**
 * Keys the PostgreSQL session on the current tenant whenever the application checks a connection out of the
 * pool, and clears it when the connection goes back. Inside a transaction the connection is held from first
 * use to commit, so the setting lives exactly as long as the transaction. Row-level security policies read
 * it (see V1__foundation.sql): without it, tenant tables show nothing. Operator mode presents the operator
 * credential, which the database checks ({@link OperatorCredential}).
 */
@ApplicationScoped
public class TenantConnectionSettings implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(TenantConnectionSettings.class);

    private final OperatorCredential operatorCredential;

    TenantConnectionSettings(OperatorCredential operatorCredential) {
        this.operatorCredential = operatorCredential;
    }

    private static final String APPLY = "select set_config('modelyard.tenant_id', ?, false),"
            + " set_config('modelyard.subject', ?, false), set_config('modelyard.operator', ?, false)";

    @Override
    public void onConnectionAcquire(Connection connection) {
        String tenant = "";
        String subject = "";
        String operator = "";
        ManagedContext requestContext = Arc.container().requestContext();
        if (requestContext.isActive()) {
            TenantContext context = Arc.container().instance(TenantContext.class).get();
            tenant = context.databaseTenantId();
            subject = context.databaseSubject();
            operator = context.operatorMode() ? operatorCredential.value() : "";
        }
        apply(connection, tenant, subject, operator);
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        try {
            apply(connection, "", "", "");
        } catch (IllegalStateException e) {
            // A connection that broke (the database restarted) cannot be reset, and must not fail the code giving
            // it back; the pool discards it. A live one that could not be reset is keyed afresh on its next
            // checkout anyway (onConnectionAcquire sets every setting).
            LOG.debugf("Could not reset a returned connection: %s", e.getMessage());
        }
    }

    private static void apply(Connection connection, String tenant, String subject, String operator) {
        try (PreparedStatement statement = connection.prepareStatement(APPLY)) {
            statement.setString(1, tenant);
            statement.setString(2, subject);
            statement.setString(3, operator);
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not key the database session on the current tenant", e);
        }
    }
}
