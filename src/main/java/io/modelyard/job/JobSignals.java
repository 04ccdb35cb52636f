package io.modelyard.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * PostgreSQL notifications about jobs, sent inside the transaction that causes them: delivered to every
 * listening process on commit, never on rollback. {@link JobNotificationListener} receives them.
 */
@ApplicationScoped
class JobSignals {

    /**
     * {@code queued:<type>} wakes idle workers; {@code cancel:<job id>} stops a running handler;
     * {@code pause:<job id>} asks it to checkpoint and stop.
     */
    static final String QUEUE_CHANNEL = "modelyard_jobs";
    /** {@code <job id>}: the job has new events, for the processes streaming them. */
    static final String EVENTS_CHANNEL = "modelyard_job_events";

    private final EntityManager entityManager;

    JobSignals(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void jobQueued(String type) {
        send(QUEUE_CHANNEL, "queued:" + type);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void cancelRequested(String jobId) {
        send(QUEUE_CHANNEL, "cancel:" + jobId);
    }

    /** {@code pause:<job id>} asks the handler running the job to checkpoint and stop. */
    @Transactional(Transactional.TxType.MANDATORY)
    void pauseRequested(String jobId) {
        send(QUEUE_CHANNEL, "pause:" + jobId);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void eventsAppended(String jobId) {
        send(EVENTS_CHANNEL, jobId);
    }

    private void send(String channel, String payload) {
        entityManager.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, channel).setParameter(2, payload).getSingleResult();
    }
}
