package io.modelyard.training.engine;

/**
 * The run stopped because {@link StopSignal#checkpointAndStopRequested()} said so, after saving
 * {@link #checkpoint()} to the sink. Requeue the job: it resumes from there.
 */
public class TrainingPreemptedException extends RuntimeException {

    private final transient Checkpoint checkpoint;

    public TrainingPreemptedException(Checkpoint checkpoint) {
        super("training preempted at epoch " + checkpoint.completedEpochs() + ", step " + checkpoint.globalStep()
                + "; checkpoint saved");
        this.checkpoint = checkpoint;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }
}
