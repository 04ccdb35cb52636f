package io.modelyard.training.engine;

/** The run stopped because {@link StopSignal#cancelRequested()} said so. */
public class TrainingCancelledException extends RuntimeException {

    private final long globalStep;

    public TrainingCancelledException(long globalStep) {
        super("training cancelled after " + globalStep + " steps");
        this.globalStep = globalStep;
    }

    public long globalStep() {
        return globalStep;
    }
}
