package io.modelyard.training.engine;

/**
 * Where a run is. Reported at most about once a second and at every epoch end.
 *
 * @param epoch 1-based epoch in progress
 * @param stepsDone optimizer steps done since the start of the run (including those before a resume)
 * @param totalSteps steps of the full run if it does not stop early
 * @param samplesSeen training examples processed since the start of the run
 */
public record TrainingProgress(int epoch, int epochs, long stepsDone, long totalSteps, long samplesSeen) {

    public double fraction() {
        return totalSteps == 0 ? 1.0 : Math.min(1.0, (double) stepsDone / totalSteps);
    }
}
