package io.modelyard.training.engine;

/**
 * A resumable point of a run. {@code state} is opaque to the platform (the trainer's own format: model weights,
 * optimizer state, data position, RNG position, early-stopping state with the best weights, metrics history);
 * store it as a blob and give it back unchanged through {@link CheckpointSink#latest()}.
 *
 * @param completedEpochs epochs fully done (trained, validated, early stopping updated)
 * @param stepInEpoch batches of the next epoch already trained (0 at an epoch end)
 * @param globalStep optimizer steps done since the start of the run
 * @param state the trainer's bytes
 */
public record Checkpoint(int completedEpochs, int stepInEpoch, long globalStep, byte[] state) {
}
