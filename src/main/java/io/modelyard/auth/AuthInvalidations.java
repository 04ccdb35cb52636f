package io.modelyard.auth;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.CommitNotifications;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.modelyard.tenant.TenantStatusChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;

/**
 * Keeps every API instance's credentials cache honest. A change to a key or a tenant's status sends a
 * PostgreSQL notification from inside its transaction (delivered on commit, lost on rollback) and evicts the
 * local cache after commit; every instance listens and evicts too. After a lost connection the listener
 * clears its whole cache, since it may have missed notifications.
 */
@ApplicationScoped
class AuthInvalidations implements PostgresListener.Handler {

    static final String CHANNEL = "modelyard_auth";

    private final CommitNotifications notifications;
    private final ApiKeyCredentials credentials;
    private final PlatformConfig platform;
    private final PostgresListener listener;

    AuthInvalidations(CommitNotifications notifications, ApiKeyCredentials credentials, AgroalDataSource dataSource,
            PlatformConfig platform) {
        this.notifications = notifications;
        this.credentials = credentials;
        this.platform = platform;
        this.listener = new PostgresListener(dataSource, "auth-invalidations", List.of(CHANNEL), 5_000, this);
    }

    /** Call inside the transaction that changes the key. */
    void keyChanged(String keyId) {
        announce("key:" + keyId);
    }

    void tenantStatusChanged(@Observes(during = TransactionPhase.IN_PROGRESS) TenantStatusChanged change) {
        announce("tenant:" + change.tenantId());
    }

    private void announce(String what) {
        notifications.send(CHANNEL, what, () -> evict(what));
    }

    private void evict(String what) {
        if (what.startsWith("key:")) {
            credentials.evictKey(what.substring(4));
        } else if (what.startsWith("tenant:")) {
            credentials.evictTenant(what.substring(7));
        }
    }

    @Override
    public void connected() {
        credentials.evictAll();
    }

    @Override
    public void lost() {
        credentials.evictAll();
    }

    @Override
    public void notified(String channel, String payload) {
        evict(payload);
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
