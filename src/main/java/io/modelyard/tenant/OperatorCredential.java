package io.modelyard.tenant;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What switches a database session into operator mode, where row-level security admits every tenant's rows
 * (platform work: storage footprints, sweepers, tenant and plan administration). It is a secret, not a flag: the
 * database admits a session as operator only when it presents a credential whose SHA-256 the schema owner
 * registered ({@code acting_as_operator()}, V74), and the application role can read neither the register nor this
 * process's configuration. A statement injected into a tenant's query cannot switch operator mode on.
 *
 * <p>{@code modelyard.database.operator-credential} (32+ characters) is shared by every process of a deployment
 * and registered by the one that runs the migrations (the chart's migration Job). Without it, a process that
 * migrates at start (development, tests) makes one of its own and registers it. At startup every process checks
 * that the database admits its credential, and refuses to start otherwise: platform work would silently see
 * nothing.
 */
@ApplicationScoped
public class OperatorCredential {

    private static final Logger LOG = Logger.getLogger(OperatorCredential.class);
    private static final int MIN_LENGTH = 32;

    private final String credential;
    private final boolean configured;

    OperatorCredential(@ConfigProperty(name = "modelyard.database.operator-credential") Optional<String> configured) {
        this.configured = configured.filter(s -> !s.isBlank()).isPresent();
        this.credential = configured.filter(s -> !s.isBlank()).orElseGet(OperatorCredential::generate);
        if (credential.length() < MIN_LENGTH) {
            throw new IllegalStateException("modelyard.database.operator-credential must have at least " + MIN_LENGTH
                    + " characters");
        }
    }

    /** Switches the connection's current transaction into operator mode (it ends with the transaction). */
    public void enterForTransaction(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select set_config('modelyard.operator', ?, true)")) {
            statement.setString(1, credential);
            statement.execute();
        }
    }

    /** The value a session presents in {@code modelyard.operator} (see {@link TenantConnectionSettings}). */
    String value() {
        return credential;
    }

    /**
     * After Flyway (which migrates during start-up, before this event): the migrating process registers the
     * credential as the schema owner; every process then checks that the database admits it.
     */
    void registerAndCheck(@Observes @Priority(10) StartupEvent event, PlatformConfig platform,
            @ConfigProperty(name = "quarkus.flyway.migration.migrate-at-start", defaultValue = "false") boolean migrates,
            @DataSource("migration") Instance<AgroalDataSource> schemaOwner, AgroalDataSource application) {
        if (migrates) {
            register(schemaOwner.get());
        } else if (!configured) {
            throw new IllegalStateException("modelyard.database.operator-credential is not set: a process that does"
                    + " not run the migrations needs the credential the migrating one registered");
        }
        if (platform.role() != DeploymentRole.MIGRATE && !admitted(application)) {
            throw new IllegalStateException("The database does not admit this process's operator credential: set"
                    + " modelyard.database.operator-credential to the value the migration Job registered");
        }
    }

    private void register(AgroalDataSource schemaOwner) {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement("insert into operator_credentials"
                        + " (secret_sha256) values (sha256(convert_to(?, 'UTF8'))) on conflict (secret_sha256)"
                        + " do update set registered_at = now()");
                // Credentials made by processes that ran the migrations themselves go a month after their last start.
                PreparedStatement purge = connection.prepareStatement("delete from operator_credentials"
                        + " where registered_at < now() - interval '30 days'")) {
            statement.setString(1, credential);
            statement.executeUpdate();
            purge.executeUpdate();
            LOG.infof("Registered the %s operator credential", configured ? "configured" : "process's own");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not register the operator credential", e);
        }
    }

    private boolean admitted(AgroalDataSource application) {
        try (Connection connection = application.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                enterForTransaction(connection);
                try (PreparedStatement statement = connection.prepareStatement("select acting_as_operator()");
                        ResultSet row = statement.executeQuery()) {
                    return row.next() && row.getBoolean(1);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not check the operator credential", e);
        }
    }

    private static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
