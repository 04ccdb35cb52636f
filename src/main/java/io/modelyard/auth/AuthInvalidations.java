package io.modelyard.auth;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.PlatformConfig;
import io.modelyard.tenant.TenantStatusChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps every API instance's credentials cache honest. A change to a key or a tenant's status sends a
 * PostgreSQL notification from inside its transaction (delivered on commit, lost on rollback) and evicts the
 * local cache after commit; every instance listens and evicts too. After a lost connection the listener
 * clears its whole cache, since it may have missed notifications.
 */
@ApplicationScoped
class AuthInvalidations {

    private static final Logger LOG = Logger.getLogger(AuthInvalidations.class);
    static final String CHANNEL = "modelyard_auth";

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final ApiKeyCredentials credentials;
    private final AgroalDataSource dataSource;
    private final PlatformConfig platform;
    private volatile boolean running;
    private Thread listener;

    AuthInvalidations(EntityManager entityManager, TransactionSynchronizationRegistry transactions,
            ApiKeyCredentials credentials, AgroalDataSource dataSource, PlatformConfig platform) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.credentials = credentials;
        this.dataSource = dataSource;
        this.platform = platform;
    }

    /** Call inside the transaction that changes the key. */
    void keyChanged(String keyId) {
        announce("key:" + keyId);
    }

    void tenantStatusChanged(@Observes(during = TransactionPhase.IN_PROGRESS) TenantStatusChanged change) {
        announce("tenant:" + change.tenantId());
    }

    private void announce(String what) {
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, CHANNEL).setParameter(2, what).getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    evict(what);
                }
            }
        });
    }

    private void evict(String what) {
        if (what.startsWith("key:")) {
            credentials.evictKey(what.substring(4));
        } else if (what.startsWith("tenant:")) {
            credentials.evictTenant(what.substring(7));
        }
    }

    void start(@Observes StartupEvent event) {
        if (!platform.role().servesPublicApi()) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "auth-invalidations");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                // Anything cached before this point may have missed a notification.
                credentials.evictAll();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            evict(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("Lost the auth invalidation listener; reconnecting", e);
                    credentials.evictAll();
                    sleepQuietly();
                }
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
