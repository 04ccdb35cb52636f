package io.modelyard.training.engine;

/**
 * What the trainer tells while it runs, on the training thread. Keep each call short (queue the event, don't
 * wait on a database round trip per call); an exception thrown here aborts the run.
 */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    /** After each epoch's validation. */
    default void epochCompleted(EpochMetrics metrics) {
    }

    /** Steps and samples done; throttled by the trainer. */
    default void progress(TrainingProgress progress) {
    }

    /** A human-readable line for the job's log. */
    default void message(MessageLevel level, String text) {
    }

    /**
     * The run continues from a checkpoint instead of starting over.
     *
     * @param fromEpoch epochs already completed
     * @param fromStep optimizer steps already done
     */
    default void resumed(int fromEpoch, long fromStep) {
    }
}
