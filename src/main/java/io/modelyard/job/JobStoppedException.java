package io.modelyard.job;

/**
 * Thrown by a handler that stopped because it was asked to ({@link JobExecution#stopRequested()}), after it
 * checkpointed or cleaned up. The worker then ends the run according to the reason: back to the queue on
 * shutdown, cancelled on cancel, nothing at all when the lease was lost.
 */
public class JobStoppedException extends RuntimeException {

    private transient Runnable onRecorded;

    public JobStoppedException(StopReason reason) {
        super("Stopped: " + reason.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
    }

    /**
     * Runs {@code action} inside the transaction (and the tenant) that records the job cancelled — charging the
     * work done so far, say. Not run when the stop only hands the job back (shutdown, lost lease).
     */
    public JobStoppedException whenRecorded(Runnable action) {
        this.onRecorded = action;
        return this;
    }

    Runnable onRecorded() {
        return onRecorded;
    }
}
