package io.modelyard.serving.runtime;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.modelyard.tenant.TenantErased;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Unloads an erased tenant's models from this process as soon as its erasure begins, wherever it began: in this
 * process directly, in the others through a PostgreSQL notification. A lost notification is harmless: the model's
 * artifact is gone, so it cannot be loaded again, and the cache unloads it when it needs the room.
 */
@ApplicationScoped
class ErasedTenantModels implements PostgresListener.Handler {

    private static final Logger LOG = Logger.getLogger(ErasedTenantModels.class);

    private final LocalInference inference;
    private final PlatformConfig platform;
    private final PostgresListener listener;

    ErasedTenantModels(LocalInference inference, PlatformConfig platform, AgroalDataSource dataSource) {
        this.inference = inference;
        this.platform = platform;
        this.listener = new PostgresListener(dataSource, "erased-tenant-models", List.of(TenantErased.CHANNEL),
                5_000, this);
    }

    void erased(@Observes TenantErased erased) {
        unload(erased.tenantId());
    }

    @Override
    public void notified(String channel, String tenantId) {
        unload(tenantId);
    }

    @Override
    public void connected() {
    }

    @Override
    public void lost() {
    }

    private void unload(String tenantId) {
        if (!platform.role().runsWorkloads()) {
            return;
        }
        int unloaded = inference.unloadTenant(tenantId);
        if (unloaded > 0) {
            LOG.infof("Unloaded %d models of erased tenant %s", unloaded, tenantId);
        }
    }

    void start(@Observes StartupEvent event) {
        if (platform.role().runsWorkloads()) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }
}
