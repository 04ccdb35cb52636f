package io.modelyard.training.engine;

import io.modelyard.model.spec.Architecture;

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
 * @param loss the training loss, or null for the task's default (cross-entropy, or MSE for regression)
 * @param classWeights how much each class counts in the loss (classification), or null for equally
 * @param gradientClipNorm the gradients of a step are scaled down so their global L2 norm is at most this; 0 off
 * @param charNgrams hashed character n-grams (3 to 6, fastText's {@code <word>} boundaries) added to the words
 *        ({@code bag_of_embeddings}, {@code linear})
 * @param wordBigrams hashed pairs of neighbouring words added too (same architectures)
 * @param ngramBuckets hash buckets the n-grams share: extra rows of the embedding
 * @param augmentation perturbed copies of the training texts, or null
 * @param imageSize images are resized (shorter side) and centre-cropped to this square: 32, 64, 128 or 224
 *        (image architectures)
 * @param imageAugmentation training images are randomly shifted (padded crop), flipped left to right and
 *        jittered in brightness and contrast each time they are seen (image architectures)
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
        int checkpointEverySteps,
        LossKind loss,
        ClassWeights classWeights,
        double gradientClipNorm,
        boolean charNgrams,
        boolean wordBigrams,
        int ngramBuckets,
        Augmentation augmentation,
        int imageSize,
        boolean imageAugmentation) {

    /** Buckets when n-grams are asked for without a count: fastText uses 2,000,000; a CPU-sized table suffices. */
    public static final int DEFAULT_NGRAM_BUCKETS = 20_000;

    /** The image size when none is given: small enough to train on a CPU. */
    public static final int DEFAULT_IMAGE_SIZE = 32;

    /** The image sizes a network can be built for. */
    public static final java.util.List<Integer> IMAGE_SIZES = java.util.List.of(32, 64, 128, 224);

    @com.fasterxml.jackson.annotation.JsonCreator
    public Hyperparameters {
        // Artifacts written before images were supported have no image size.
        imageSize = imageSize == 0 ? DEFAULT_IMAGE_SIZE : imageSize;
    }

    /** The hyperparameters of the first release: no loss choice, weights, clipping, n-grams or augmentation. */
    public Hyperparameters(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
            OptimizerKind optimizer, double momentum, double weightDecay, double dropout, int earlyStoppingPatience,
            int maxSequenceLength, int vocabularySize, int embeddingSize, int hiddenSize, int layers, int heads,
            long seed, int checkpointEverySteps) {
        this(epochs, batchSize, learningRate, schedule, optimizer, momentum, weightDecay, dropout,
                earlyStoppingPatience, maxSequenceLength, vocabularySize, embeddingSize, hiddenSize, layers, heads, seed,
                checkpointEverySteps, null, null, 0, false, false, DEFAULT_NGRAM_BUCKETS, null, DEFAULT_IMAGE_SIZE,
                false);
    }

    /** Like the canonical constructor, without the image knobs (text and tabular networks). */
    public Hyperparameters(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
            OptimizerKind optimizer, double momentum, double weightDecay, double dropout, int earlyStoppingPatience,
            int maxSequenceLength, int vocabularySize, int embeddingSize, int hiddenSize, int layers, int heads,
            long seed, int checkpointEverySteps, LossKind loss, ClassWeights classWeights, double gradientClipNorm,
            boolean charNgrams, boolean wordBigrams, int ngramBuckets, Augmentation augmentation) {
        this(epochs, batchSize, learningRate, schedule, optimizer, momentum, weightDecay, dropout,
                earlyStoppingPatience, maxSequenceLength, vocabularySize, embeddingSize, hiddenSize, layers, heads, seed,
                checkpointEverySteps, loss, classWeights, gradientClipNorm, charNgrams, wordBigrams, ngramBuckets,
                augmentation, DEFAULT_IMAGE_SIZE, false);
    }

    /** Whether the text encoding adds hashed n-grams after the words. */
    public boolean hashedNgrams() {
        return charNgrams || wordBigrams;
    }

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
                pick(o.checkpointEverySteps(), checkpointEverySteps),
                pick(o.loss(), loss),
                pick(o.classWeights(), classWeights),
                pick(o.gradientClipNorm(), gradientClipNorm),
                pick(o.charNgrams(), charNgrams),
                pick(o.wordBigrams(), wordBigrams),
                pick(o.ngramBuckets(), ngramBuckets),
                pick(o.augmentation(), augmentation),
                pick(o.imageSize(), imageSize),
                pick(o.imageAugmentation(), imageAugmentation));
    }

    private static <T> T pick(T override, T preset) {
        return override != null ? override : preset;
    }
}
