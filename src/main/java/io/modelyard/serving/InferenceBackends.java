package io.modelyard.serving;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.serving.internal.WorkerClient;
import io.modelyard.serving.runtime.LocalInference;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Picks where predictions run: in this process for {@code all} (and {@code worker}), on the workers for
 * {@code api}. The other one is never created, so an api process never touches the engine.
 */
@ApplicationScoped
class InferenceBackends {

    @Produces
    @Singleton
    InferenceBackend backend(PlatformConfig platform, Instance<LocalInference> local, Instance<WorkerClient> remote) {
        return platform.role() == DeploymentRole.API ? remote.get() : local.get();
    }
}
