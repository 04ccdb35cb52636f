package io.modelyard.serving.internal;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.serving.ServingConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says at startup what will not work: an api process that cannot reach its workers answers every prediction 503;
 * a worker without the shared secret refuses every internal call (it still runs jobs).
 */
@ApplicationScoped
class InternalWiringCheck {

    private static final Logger LOG = Logger.getLogger(InternalWiringCheck.class);

    void check(@Observes StartupEvent event, PlatformConfig platform, ServingConfig serving, InternalConfig internal) {
        boolean secret = internal.token().filter(t -> !t.isBlank()).isPresent();
        if (platform.role() == DeploymentRole.API) {
            if (serving.workerUrl().isEmpty()) {
                LOG.warn("modelyard.serving.worker-url is not set: predictions will answer 503 until it is.");
            }
            if (!secret) {
                LOG.warn("modelyard.internal.token is not set: predictions cannot reach the workers (503).");
            }
        } else if (platform.role() == DeploymentRole.WORKER && !secret) {
            LOG.warn("modelyard.internal.token is not set: this worker refuses every internal call, so it serves "
                    + "no predictions for the api role.");
        }
    }
}
