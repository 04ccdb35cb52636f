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
        Integer checkpointEverySteps,
        LossKind loss,
        ClassWeights classWeights,
        Double gradientClipNorm,
        Boolean charNgrams,
        Boolean wordBigrams,
        Integer ngramBuckets,
        Augmentation augmentation,
        Integer imageSize,
        Boolean imageAugmentation) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public HyperparameterOverrides {
    }

    /** Overrides of the first release's hyperparameters only. */
    public HyperparameterOverrides(Integer epochs, Integer batchSize, Double learningRate, LearningRateSchedule schedule,
            OptimizerKind optimizer, Double momentum, Double weightDecay, Double dropout, Integer earlyStoppingPatience,
            Integer maxSequenceLength, Integer vocabularySize, Integer embeddingSize, Integer hiddenSize,
            Integer layers, Integer heads, Long seed, Integer checkpointEverySteps) {
        this(epochs, batchSize, learningRate, schedule, optimizer, momentum, weightDecay, dropout,
                earlyStoppingPatience, maxSequenceLength, vocabularySize, embeddingSize, hiddenSize, layers, heads, seed,
                checkpointEverySteps, null, null, null, null, null, null, null, null, null);
    }

    /** Overrides without the image knobs. */
    public HyperparameterOverrides(Integer epochs, Integer batchSize, Double learningRate, LearningRateSchedule schedule,
            OptimizerKind optimizer, Double momentum, Double weightDecay, Double dropout, Integer earlyStoppingPatience,
            Integer maxSequenceLength, Integer vocabularySize, Integer embeddingSize, Integer hiddenSize,
            Integer layers, Integer heads, Long seed, Integer checkpointEverySteps, LossKind loss,
            ClassWeights classWeights, Double gradientClipNorm, Boolean charNgrams, Boolean wordBigrams,
            Integer ngramBuckets, Augmentation augmentation) {
        this(epochs, batchSize, learningRate, schedule, optimizer, momentum, weightDecay, dropout,
                earlyStoppingPatience, maxSequenceLength, vocabularySize, embeddingSize, hiddenSize, layers, heads, seed,
                checkpointEverySteps, loss, classWeights, gradientClipNorm, charNgrams, wordBigrams, ngramBuckets,
                augmentation, null, null);
    }

    public static HyperparameterOverrides none() {
        return new HyperparameterOverrides(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }
}
