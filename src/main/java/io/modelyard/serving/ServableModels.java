package io.modelyard.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelsChanged;
import io.modelyard.model.ServableModel;
import io.modelyard.tenant.TenantErased;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;

/**
 * What a model id or alias resolves to, per tenant, remembered so that a prediction needs no database round trip
 * to find its model. An alias moved or removed, or a model deleted, evicts the tenant's names at once: in this
 * process after the change commits, in every other through a PostgreSQL notification (milliseconds later). After
 * a lost notification connection everything is forgotten; entries also expire as a backstop.
 */
@ApplicationScoped
class ServableModels implements PostgresListener.Handler {

    private final Cache<String, ServableModel> byName = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final ModelRegistry registry;
    private final PlatformConfig platform;
    private final PostgresListener listener;

    ServableModels(ModelRegistry registry, PlatformConfig platform, AgroalDataSource dataSource) {
        this.registry = registry;
        this.platform = platform;
        this.listener = new PostgresListener(dataSource, "model-changes", List.of(ModelsChanged.CHANNEL, TenantErased.CHANNEL), 5_000,
                this);
    }

    /** The model {@code idOrAlias} names for {@code tenantId} (whose PREDICT permission the caller checked). */
    ServableModel resolve(String tenantId, String idOrAlias) {
        String key = tenantId + "/" + idOrAlias;
        ServableModel known = byName.getIfPresent(key);
        if (known != null) {
            return known;
        }
        ServableModel model = registry.servable(idOrAlias);
        byName.put(key, model);
        return model;
    }

    void changed(@Observes ModelsChanged change) {
        forgetTenant(change.tenantId());
    }

    void erased(@Observes TenantErased erased) {
        forgetTenant(erased.tenantId());
    }

    @Override
    public void notified(String channel, String tenantId) {
        forgetTenant(tenantId);
    }

    @Override
    public void connected() {
        byName.invalidateAll();
    }

    @Override
    public void lost() {
        byName.invalidateAll();
    }

    private void forgetTenant(String tenantId) {
        String prefix = tenantId + "/";
        byName.asMap().keySet().removeIf(key -> key.startsWith(prefix));
    }

    void start(@Observes StartupEvent event) {
        if (platform.role().servesPublicApi()) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }
}
