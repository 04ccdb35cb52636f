package io.modelyard.training;

import io.modelyard.common.PlatformConfig;
import io.modelyard.training.engine.ModelTrainer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness of a worker (roles {@code worker} and {@code all}): the deep-learning engine has loaded and chosen its
 * device. It starts loading in the background when the process starts (PyTorch takes seconds to load); until it is loaded
 * the process is not ready, and a load that failed keeps it not ready with the reason. The {@code api} role has no
 * engine and never loads it: there the check reports up without touching it.
 */
@Readiness
@ApplicationScoped
public class EngineHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(EngineHealthCheck.class);

    private final PlatformConfig platform;
    private final AtomicReference<String> device = new AtomicReference<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile Thread loading;

    EngineHealthCheck(PlatformConfig platform) {
        this.platform = platform;
    }

    /** Workers start loading at once, so they are ready about when the engine is. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        if (platform.role().runsWorkloads()) {
            startLoading();
        }
    }

    @Override
    public HealthCheckResponse call() {
        String name = "Training and inference engine";
        if (!platform.role().runsWorkloads()) {
            return HealthCheckResponse.named(name).up().withData("role", platform.role().name().toLowerCase())
                    .withData("engine", "not used by this role").build();
        }
        if (device.get() != null) {
            return HealthCheckResponse.named(name).up().withData("device", device.get()).build();
        }
        if (failure.get() != null) {
            return HealthCheckResponse.named(name).down().withData("error", failure.get()).build();
        }
        startLoading();
        return HealthCheckResponse.named(name).down().withData("state", "loading").build();
    }

    private synchronized void startLoading() {
        if (loading != null) {
            return;
        }
        loading = new Thread(() -> {
            try {
                device.set(ModelTrainer.load().device());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("The engine could not be loaded: this worker stays not ready", e);
                failure.set(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }, "engine-readiness");
        loading.setDaemon(true);
        loading.start();
    }
}
