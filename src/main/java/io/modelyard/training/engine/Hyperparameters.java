package io.modelyard.training.engine;

/**
 * Every knob of a training run, resolved: no value is missing. Fields an architecture does not use are kept
 * (with the preset's value) and ignored: {@code heads} outside {@code transformer}, the text fields for
 * {@code mlp}, {@code momentum} outside {@code sgd}.
 *
 * @param epochs passes over the training split
 * @param batchSize examples per optimizer step
 * @param learningRate the base rate that {@code schedule} scales
 * @param schedule how the rate moves over the run
 * @param optimizer the update rule
 * @param momentum heavy-ball momentum of {@code sgd}
 * @param weightDecay L2 penalty ({@code sgd}, {@code adam}) or decoupled decay ({@code adamw})
 * @param dropout drop probability between layers
 * @param earlyStoppingPatience epochs without a better validation loss before stopping; 0 turns it off
 * @param maxSequenceLength tokens kept per text (longer texts are cut)
 * @param vocabularySize tokens in the vocabulary, counting the padding and unknown tokens
 * @param embeddingSize width of a token embedding (the model width of {@code transformer})
 * @param hiddenSize LSTM state per direction, filters per kernel width (TextCNN), feed-forward width
 *        ({@code transformer}) or layer width ({@code mlp})
 * @param layers stacked LSTM, Transformer or hidden MLP layers
 * @param heads attention heads; must divide {@code embedding_size}
 * @param seed seeds initialisation, dropout and shuffling: same seed, same device, same loss curve
 * @param checkpointEverySteps a checkpoint every so many steps besides the one at each epoch end; 0 for epoch ends
 *        only
 */
public record Hyperparameters(
        int epochs,
        int batchSize,
        double learningRate,
        LearningRateSchedule schedule,
        OptimizerKind optimizer,
        double momentum,
        double weightDecay,
        double dropout,
        int earlyStoppingPatience,
        int maxSequenceLength,
        int vocabularySize,
        int embeddingSize,
        int hiddenSize,
        int layers,
        int heads,
        long seed,
        int checkpointEverySteps) {

    /** The preset values for an architecture and size; see {@link HyperparameterPresets} for the table. */
    public static Hyperparameters preset(Architecture architecture, SizePreset size) {
        return HyperparameterPresets.of(architecture, size);
    }

    /** This record with every non-null value of {@code overrides} in place of its own. */
    public Hyperparameters with(HyperparameterOverrides overrides) {
        if (overrides == null) {
            return this;
        }
        HyperparameterOverrides o = overrides;
        return new Hyperparameters(
                pick(o.epochs(), epochs),
                pick(o.batchSize(), batchSize),
                pick(o.learningRate(), learningRate),
                pick(o.schedule(), schedule),
                pick(o.optimizer(), optimizer),
                pick(o.momentum(), momentum),
                pick(o.weightDecay(), weightDecay),
                pick(o.dropout(), dropout),
                pick(o.earlyStoppingPatience(), earlyStoppingPatience),
                pick(o.maxSequenceLength(), maxSequenceLength),
                pick(o.vocabularySize(), vocabularySize),
                pick(o.embeddingSize(), embeddingSize),
                pick(o.hiddenSize(), hiddenSize),
                pick(o.layers(), layers),
                pick(o.heads(), heads),
                pick(o.seed(), seed),
                pick(o.checkpointEverySteps(), checkpointEverySteps));
    }

    private static <T> T pick(T override, T preset) {
        return override != null ? override : preset;
    }
}
