package io.modelyard.auth;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.CommitNotifications;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.modelyard.tenant.AccessRevoked;
import io.modelyard.tenant.TenantStatusChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;

/**
 * Keeps every API instance's credentials cache honest. A change to a key, a member's access or a tenant's status
 * sends a PostgreSQL notification from inside its transaction (delivered on commit, lost on rollback) and evicts
 * the local cache after commit; every instance listens, evicts too, and announces {@link AccessRevoked} so that
 * open event streams of that caller end and must be opened again under the new rights. After a lost connection the listener
 * clears its whole cache, since it may have missed notifications.
 */
@ApplicationScoped
class AuthInvalidations implements PostgresListener.Handler {

    static final String CHANNEL = "modelyard_auth";

    private final CommitNotifications notifications;
    private final ApiKeyCredentials credentials;
    private final PlatformConfig platform;
    private final PostgresListener listener;
    private final Event<AccessRevoked> revoked;

    AuthInvalidations(CommitNotifications notifications, ApiKeyCredentials credentials, AgroalDataSource dataSource,
            PlatformConfig platform, Event<AccessRevoked> revoked) {
        this.notifications = notifications;
        this.credentials = credentials;
        this.platform = platform;
        this.revoked = revoked;
        this.listener = new PostgresListener(dataSource, "auth-invalidations", List.of(CHANNEL), 5_000, this);
    }

    /** Call inside the transaction that changes the key. */
    void keyChanged(String keyId) {
        announce("key:" + keyId);
    }

    void tenantStatusChanged(@Observes(during = TransactionPhase.IN_PROGRESS) TenantStatusChanged change) {
        announce("tenant:" + change.tenantId());
    }

    /** Call inside the transaction that lowers a member's role or removes them. */
    void memberChanged(String tenantId, String actorReference) {
        announce("member:" + tenantId + ":" + actorReference);
    }

    private void announce(String what) {
        notifications.send(CHANNEL, what, () -> evict(what));
    }

    private void evict(String what) {
        if (what.startsWith("key:")) {
            credentials.evictKey(what.substring(4));
            revoked.fire(new AccessRevoked(null, what));
        } else if (what.startsWith("tenant:")) {
            credentials.evictTenant(what.substring(7));
            revoked.fire(new AccessRevoked(what.substring(7), null));
        } else if (what.startsWith("member:")) {
            String[] parts = what.split(":", 3);
            revoked.fire(new AccessRevoked(parts[1], parts[2]));
        }
    }

    @Override
    public void connected() {
        credentials.evictAll();
    }

    @Override
    public void lost() {
        credentials.evictAll();
        // Revocations may have been missed: every open stream re-authenticates.
        revoked.fire(new AccessRevoked(null, null));
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
