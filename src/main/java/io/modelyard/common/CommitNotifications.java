package io.modelyard.common;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Tells other instances about a change when, and only when, its transaction commits: a PostgreSQL notification
 * sent inside the transaction is delivered on commit and dropped on rollback. This instance acts on it after
 * commit too (its own listener may be slower than the next request).
 */
@ApplicationScoped
public class CommitNotifications {

    private final EntityManager entityManager;
    private final AfterCommit afterCommit;

    CommitNotifications(EntityManager entityManager, AfterCommit afterCommit) {
        this.entityManager = entityManager;
        this.afterCommit = afterCommit;
    }

    /** Call inside the changing transaction; {@code locally} runs here once it committed. */
    public void send(String channel, String payload, Runnable locally) {
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, channel).setParameter(2, payload).getSingleResult();
        afterCommit.run(locally);
    }
}
