package io.modelyard.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Tells other instances about a change when, and only when, its transaction commits: a PostgreSQL notification
 * sent inside the transaction is delivered on commit and dropped on rollback. This instance acts on it after
 * commit too (its own listener may be slower than the next request).
 */
@ApplicationScoped
public class CommitNotifications {

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;

    CommitNotifications(EntityManager entityManager, TransactionSynchronizationRegistry transactions) {
        this.entityManager = entityManager;
        this.transactions = transactions;
    }

    /** Call inside the changing transaction; {@code locally} runs here once it committed. */
    public void send(String channel, String payload, Runnable locally) {
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, channel).setParameter(2, payload).getSingleResult();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    locally.run();
                }
            }
        });
    }
}
