package io.modelyard.common;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Forgets {@code Idempotency-Key}s once they are a day old, as Stripe does: a retry within the day replays the
 * first answer; after it, the key is free again. Each key row holds the answer it replays (a sign-up's holds the
 * tenant's name), so without this the table would keep every answer of every create for ever.
 */
@ApplicationScoped
class IdempotencyKeySweeper {

    static final Duration KEPT = Duration.ofHours(24);
    private static final Logger LOG = Logger.getLogger(IdempotencyKeySweeper.class);

    private final EntityManager entityManager;
    private final PlatformConfig platform;

    IdempotencyKeySweeper(EntityManager entityManager, PlatformConfig platform) {
        this.entityManager = entityManager;
        this.platform = platform;
    }

    @Scheduled(every = "${modelyard.idempotency.sweep-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!platform.role().servesPublicApi()) {
            return;
        }
        try {
            long forgotten = sweep();
            if (forgotten > 0) {
                LOG.debugf("Forgot %d idempotency keys older than %s", forgotten, KEPT);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not forget old idempotency keys; will retry", e);
        }
    }

    /** Deletes the keys of every scope created more than {@link #KEPT} ago; returns how many. */
    long sweep() {
        // purge_idempotency_keys (V1) runs as the schema owner: the keys of every tenant and person, in one statement.
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select purge_idempotency_keys(cast(?1 as interval))")
                .setParameter(1, KEPT.toSeconds() + " seconds").getSingleResult()).longValue());
    }
}
