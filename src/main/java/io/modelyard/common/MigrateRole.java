package io.modelyard.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * {@code modelyard.role=migrate}: Flyway has run the migrations as the schema owner during startup; exit
 * successfully so a Kubernetes Job (or a deploy script) can gate the rollout on it.
 */
@ApplicationScoped
class MigrateRole {

    private static final Logger LOG = Logger.getLogger(MigrateRole.class);

    void exitAfterMigrating(@Observes StartupEvent event, PlatformConfig platform) {
        if (platform.role() == DeploymentRole.MIGRATE) {
            LOG.info("Database migrations are up to date; the migrate role exits now.");
            Quarkus.asyncExit(0);
        }
    }
}
