package io.modelyard.job;

/** Why a running handler is asked to stop. A stronger reason replaces a weaker one, never the reverse. */
public enum StopReason {
    /** Keep going. */
    NONE,
    /** The worker is shutting down: save a checkpoint, then stop; the job goes back to the queue at once. */
    SHUTDOWN,
    /**
     * The tenant paused the job: save a checkpoint, then stop, as for a shutdown; the job waits paused, using no
     * worker, until it is resumed.
     */
    PAUSE,
    /** The tenant cancelled the job: delete partial artifacts, then stop; the job ends cancelled. */
    CANCEL,
    /** This worker no longer holds the job (it missed heartbeats): stop; nothing it writes counts any more. */
    LEASE_LOST
}
