package io.modelyard.job;

/**
 * Runs the jobs of one type. Implement it as a CDI bean ({@code @ApplicationScoped}); workers find every
 * handler and claim only the types they have one for. The worker calls {@link #run} inside the job's tenant
 * (as {@code TenantScope} does for background work), on a worker thread, once per run of the job.
 *
 * <p>The contract, for long work such as training:
 * <ul>
 *   <li><b>Resume.</b> When {@link JobExecution#resumed()} is true an earlier run of this job ended early (its
 *   worker died or lost its lease, was shut down, or failed retryably): load the last checkpoint and go on from
 *   there rather than starting over.</li>
 *   <li><b>Stop.</b> Poll {@link JobExecution#stopRequested()} between units of work (a batch, an epoch), at
 *   least every few seconds. On {@link StopReason#SHUTDOWN} and {@link StopReason#PAUSE} save a checkpoint; on
 *   {@link StopReason#CANCEL} delete partial artifacts; on {@link StopReason#LEASE_LOST} just stop (another
 *   worker may own the job now). Then throw {@link JobStoppedException} (or call
 *   {@link JobExecution#throwIfStopRequested()}). A shutdown puts the job back in the queue at once without
 *   using an attempt; a pause leaves it {@code paused}; a cancel ends it {@code cancelled}.</li>
 *   <li><b>Fail.</b> Throw {@link JobFailedException} with a code to fail at once (bad input: retrying will not
 *   help), or {@link JobFailedException#retryable} to retry with backoff. Any other exception is retried with
 *   backoff too, and reaches the tenant only as a generic error: its message is logged, not shown.</li>
 *   <li><b>Report.</b> {@link JobExecution#events()} takes progress with an estimated finish, per-step
 *   metrics, messages for the tenant and checkpoints. Metrics per epoch, not per batch.</li>
 *   <li><b>Idempotence.</b> A run may be repeated (a worker can die after doing the work but before
 *   recording it), so write outputs under names derived from the job id, not fresh random ones. What must
 *   happen exactly when the success is recorded (billing the work) goes in {@link JobResult#whenRecorded}; what
 *   must happen when a failure for good or a cancellation is recorded (billing the work done until then) in
 *   {@link JobFailedException#whenRecorded} or {@link JobStoppedException#whenRecorded}.</li>
 * </ul>
 */
public interface JobHandler {

    /** The job type, as stored in {@code jobs.type}: lowercase, e.g. {@code train}. */
    String type();

    /**
     * Whether jobs of this type may be paused: the handler treats {@link StopReason#PAUSE} like a shutdown
     * (checkpoint, then stop) and resumes from that checkpoint. Others answer 409 to a pause.
     */
    default boolean pausable() {
        return false;
    }

    /**
     * Does the work of one run.
     *
     * @return what the job produced, stored as its {@code result} (a JSON object)
     */
    JobResult run(JobExecution execution) throws Exception;
}
