package io.modelyard.job;

import java.time.Duration;
import java.util.Map;

/** One run of a job, as its {@link JobHandler} sees it. */
public interface JobExecution {

    String jobId();

    String tenantId();

    String type();

    /** Which attempt this is, from 1; a lost lease or a retryable failure uses one up, a shutdown does not. */
    int attempt();

    int maxAttempts();

    /** Whether an earlier run of this job ended early (lost lease, shutdown, retryable failure): resume. */
    boolean resumed();

    /** The payload the job was enqueued with, as a JSON object. */
    Map<String, Object> payload();

    /** The payload as {@code type} (snake_case JSON properties; unknown ones ignored). */
    <T> T payload(Class<T> type);

    /** Progress, metrics, messages and checkpoints, written at once for the tenant to follow. */
    JobEventSink events();

    /** Why the handler should stop now, or {@link StopReason#NONE}. Cheap: poll it often. */
    StopReason stopRequested();

    /** Throws {@link JobStoppedException} when a stop was requested; call after checkpointing or cleaning up. */
    void throwIfStopRequested();

    /**
     * Waits up to {@code timeout} for a stop request, for handlers that wait on something else.
     *
     * @return the reason, or {@link StopReason#NONE} when the time passed without one
     */
    StopReason awaitStop(Duration timeout) throws InterruptedException;
}
