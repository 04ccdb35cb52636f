package io.modelyard.training.engine;

/**
 * Polled by the trainer between batches (so answer from memory, e.g. a volatile flag the worker sets).
 * {@link #cancelRequested()} wins over {@link #checkpointAndStopRequested()}.
 */
public interface StopSignal {

    StopSignal NEVER = new StopSignal() {
    };

    /** Abort now, saving nothing: the trainer throws {@link TrainingCancelledException}. */
    default boolean cancelRequested() {
        return false;
    }

    /**
     * The process is going away (SIGTERM, preemption): the trainer saves a checkpoint at once and throws
     * {@link TrainingPreemptedException}; a later run with the same sink resumes from it.
     */
    default boolean checkpointAndStopRequested() {
        return false;
    }
}
