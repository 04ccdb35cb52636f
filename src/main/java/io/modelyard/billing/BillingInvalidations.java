package io.modelyard.billing;

import io.agroal.api.AgroalDataSource;
import io.modelyard.common.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * Keeps every instance's billing memory honest: a plan edit, a tenant's plan change or a credit grant sends a
 * PostgreSQL notification from inside its transaction (delivered on commit) and evicts locally after commit;
 * every API instance listens and evicts too, so rate limits and remembered refusals follow at once.
 */
@ApplicationScoped
class BillingInvalidations {

    private static final Logger LOG = Logger.getLogger(BillingInvalidations.class);
    static final String CHANNEL = "modelyard_billing";

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final AgroalDataSource dataSource;
    private final PlatformConfig platform;
    private final PlanCatalog catalog;
    private final TenantPlans tenantPlans;
    private final ExhaustedQuotas exhausted;
    private volatile boolean running;
    private Thread listener;

    BillingInvalidations(EntityManager entityManager, TransactionSynchronizationRegistry transactions,
            AgroalDataSource dataSource, PlatformConfig platform, PlanCatalog catalog, TenantPlans tenantPlans,
            ExhaustedQuotas exhausted) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.platform = platform;
        this.catalog = catalog;
        this.tenantPlans = tenantPlans;
        this.exhausted = exhausted;
    }

    /** Call inside the transaction that edits a plan. */
    void plansChanged() {
        announce("plans");
    }

    /** Call inside the transaction that changes a tenant's plan or grants it credits. */
    void tenantChanged(String tenantId) {
        announce("tenant:" + tenantId);
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
        if (what.equals("plans")) {
            catalog.invalidate();
            tenantPlans.evictAll();
            exhausted.forgetAll();
        } else if (what.startsWith("tenant:")) {
            tenantPlans.evict(what.substring(7));
            exhausted.forget(what.substring(7));
        }
    }

    private void evictAll() {
        catalog.invalidate();
        tenantPlans.evictAll();
        exhausted.forgetAll();
    }

    void start(@Observes StartupEvent event) {
        if (!platform.role().servesPublicApi()) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "billing-invalidations");
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
                // Anything remembered before this point may have missed a notification.
                evictAll();
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
                    LOG.warn("Lost the billing invalidation listener; reconnecting", e);
                    evictAll();
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
