package io.modelyard.training.engine;

/**
 * Hyperparameters as a request carries them: every field may be null, meaning "take the preset's value".
 * Resolve with {@code Hyperparameters.preset(architecture, size).with(overrides)}. Field meanings are those of
 * {@link Hyperparameters}.
 */
public record HyperparameterOverrides(
        Integer epochs,
        Integer batchSize,
        Double learningRate,
        LearningRateSchedule schedule,
        OptimizerKind optimizer,
        Double momentum,
        Double weightDecay,
        Double dropout,
        Integer earlyStoppingPatience,
        Integer maxSequenceLength,
        Integer vocabularySize,
        Integer embeddingSize,
        Integer hiddenSize,
        Integer layers,
        Integer heads,
        Long seed,
        Integer checkpointEverySteps) {

    public static HyperparameterOverrides none() {
        return new HyperparameterOverrides(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }
}
