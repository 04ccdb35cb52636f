package io.modelyard.training.engine;

import static io.modelyard.training.engine.LearningRateSchedule.CONSTANT;
import static io.modelyard.training.engine.LearningRateSchedule.LINEAR_WARMUP;
import static io.modelyard.training.engine.OptimizerKind.ADAM;
import static io.modelyard.training.engine.OptimizerKind.ADAMW;

import io.modelyard.model.spec.Architecture;

/**
 * The preset table. Sizes are chosen to train in minutes on a CPU (small), to be a sound default on a GPU
 * (base) and to fit a large dataset on a GPU (large). {@code lstm_classic} is the same at every size: it is a
 * fixed recipe, not a family.
 */
final class HyperparameterPresets {

    static final long DEFAULT_SEED = 42;
    static final int DEFAULT_CHECKPOINT_EVERY_STEPS = 1000;

    private HyperparameterPresets() {
    }

    static Hyperparameters of(Architecture architecture, SizePreset size) {
        int s = size.ordinal();
        switch (architecture) {
            case BAG_OF_EMBEDDINGS:
                return text(10, 64, 5e-3, CONSTANT, ADAM, 0.0, 0.1,
                        pick(s, 128, 256, 512), pick(s, 20_000, 50_000, 100_000), pick(s, 64, 128, 300), 64, 1, 1);
            case TEXT_CNN:
                return text(10, 64, 1e-3, CONSTANT, ADAM, 0.0, 0.3,
                        pick(s, 128, 256, 512), pick(s, 20_000, 50_000, 100_000), pick(s, 64, 128, 256),
                        pick(s, 64, 128, 256), 1, 1);
            case BILSTM:
                return text(10, 64, 1e-3, CONSTANT, ADAM, 0.0, 0.2,
                        pick(s, 128, 256, 256), pick(s, 20_000, 50_000, 100_000), pick(s, 64, 128, 256),
                        pick(s, 64, 128, 256), pick(s, 1, 1, 2), 1);
            case TRANSFORMER:
                return text(10, 32, 5e-4, LINEAR_WARMUP, ADAMW, 0.01, 0.1,
                        pick(s, 128, 256, 512), pick(s, 20_000, 50_000, 100_000), pick(s, 64, 128, 256),
                        pick(s, 128, 512, 1024), pick(s, 2, 4, 6), pick(s, 4, 4, 8));
            case LSTM_CLASSIC:
                // Keras: Embedding(1000, 64) -> LSTM(64, return_sequences) -> LSTM(32) -> Dense(1, sigmoid),
                // optimizer='adam' (lr 1e-3), pad_sequences(maxlen=100), no dropout, no early stopping.
                return new Hyperparameters(10, 32, 1e-3, CONSTANT, ADAM, 0.9, 0.0, 0.0, 0, 100, 1000, 64, 64, 2, 1,
                        DEFAULT_SEED, DEFAULT_CHECKPOINT_EVERY_STEPS);
            case IMPORTED_ENCODER:
                // Only the head trains: the widths and vocabulary are the encoder's own.
                return text(10, 32, 1e-3, CONSTANT, ADAM, 0.0, 0.1, pick(s, 128, 256, 512), 0, 64, 64, 1, 1);
            case LINEAR:
                // One layer and no dropout: the widths and layers are unused. A high rate suits a convex model.
                return new Hyperparameters(20, 32, 5e-2, CONSTANT, ADAM, 0.9, 0.0, 0.0, 3, pick(s, 128, 256, 512),
                        pick(s, 20_000, 50_000, 100_000), 64, 64, 1, 1, DEFAULT_SEED, DEFAULT_CHECKPOINT_EVERY_STEPS);
            case MLP:
                return new Hyperparameters(pick(s, 30, 50, 80), pick(s, 64, 128, 256), 1e-3, CONSTANT, ADAM, 0.9,
                        0.0, pick(s, 0.1, 0.2, 0.2), 5, 0, 0, 0, pick(s, 64, 128, 256), pick(s, 2, 3, 4), 1,
                        DEFAULT_SEED, DEFAULT_CHECKPOINT_EVERY_STEPS);
            case CNN_SMALL:
                // fixed 32-64-128 channels: hidden_size and layers are unused
                return image(pick(s, 15, 20, 30), 64, 1e-3, 0.2, 32, 3, pick(s, 32, 32, 64));
            case VGG:
                // hidden_size: the first stage's channels (32 is the published width), doubling per stage
                return image(pick(s, 20, 30, 40), 64, 1e-3, 0.3, pick(s, 16, 32, 64), 4, pick(s, 32, 64, 64));
            case RESNET:
                // layers: the depth (18 or 34); hidden_size: the first stage's channels (64 published)
                return image(pick(s, 20, 30, 40), 64, 1e-3, 0.0, pick(s, 16, 32, 64), pick(s, 18, 18, 34),
                        pick(s, 32, 64, 128));
            default:
                throw new IllegalArgumentException("no preset for " + architecture);
        }
    }

    private static Hyperparameters text(int epochs, int batch, double lr, LearningRateSchedule schedule,
            OptimizerKind optimizer, double weightDecay, double dropout, int maxLength, int vocabulary,
            int embedding, int hidden, int layers, int heads) {
        return new Hyperparameters(epochs, batch, lr, schedule, optimizer, 0.9, weightDecay, dropout, 3, maxLength,
                vocabulary, embedding, hidden, layers, heads, DEFAULT_SEED, DEFAULT_CHECKPOINT_EVERY_STEPS);
    }

    private static Hyperparameters image(int epochs, int batch, double lr, double dropout, int width, int layers,
            int imageSize) {
        return new Hyperparameters(epochs, batch, lr, CONSTANT, ADAMW, 0.9, 1e-4, dropout, 5, 0, 0, 0, width, layers,
                1, DEFAULT_SEED, DEFAULT_CHECKPOINT_EVERY_STEPS, null, null, 0, false, false,
                Hyperparameters.DEFAULT_NGRAM_BUCKETS, null, imageSize, false);
    }

    private static int pick(int index, int small, int base, int large) {
        return index == 0 ? small : index == 1 ? base : large;
    }

    private static double pick(int index, double small, double base, double large) {
        return index == 0 ? small : index == 1 ? base : large;
    }
}
