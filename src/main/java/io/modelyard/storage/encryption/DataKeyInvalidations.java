package io.modelyard.storage.encryption;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Makes a destroyed data key unusable in every process at once, not after the cache's time to live: destroying
 * notifies {@value #CHANNEL} with the tenant id on commit, and every API and worker process listens and forgets
 * that tenant's key. After a lost connection it forgets every key, since it may have missed a notification.
 */
@ApplicationScoped
class DataKeyInvalidations implements PostgresListener.Handler {

    static final String CHANNEL = "modelyard_data_keys";

    private final TenantDataKeys keys;
    private final PlatformConfig platform;
    private final PostgresListener listener;

    DataKeyInvalidations(TenantDataKeys keys, AgroalDataSource dataSource, PlatformConfig platform) {
        this.keys = keys;
        this.platform = platform;
        this.listener = new PostgresListener(dataSource, "data-key-invalidations", List.of(CHANNEL), 5_000, this);
    }

    @Override
    public void connected() {
        keys.forgetAll();
    }

    @Override
    public void lost() {
        keys.forgetAll();
    }

    @Override
    public void notified(String channel, String tenantId) {
        keys.forget(tenantId);
    }

    void start(@Observes StartupEvent event) {
        // Every role that touches blobs: the API and the workers.
        if (platform.role() != DeploymentRole.MIGRATE) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }
}
