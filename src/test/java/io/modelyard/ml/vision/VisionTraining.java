package io.modelyard.ml.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.EngineSetup;
import java.util.Random;

/**
 * A bare DJL loop for the vision tests and benchmark: softmax cross-entropy, Adam, batches made by
 * {@link EncodedRows#batch} in a manager closed after each step. The platform's trainer is the integrator's;
 * this only has to show that the networks and rows learn.
 */
final class VisionTraining implements AutoCloseable {

    private final Model model;
    private final Trainer trainer;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final Random shuffle;

    /**
     * @param steps when positive, the learning rate falls from {@code learningRate} to a hundredth of it along a
     *              cosine over that many steps (the held-out accuracy of a batch-normalised network swings from
     *              epoch to epoch at a fixed rate); else it stays fixed
     */
    VisionTraining(Block block, int imageSize, float learningRate, int steps, long seed) {
        EngineSetup.engine().setRandomSeed((int) seed);
        model = Model.newInstance("vision", EngineSetup.device(), EngineSetup.ENGINE_NAME);
        model.setBlock(block);
        trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule(learningRate, steps)).build()));
        trainer.initialize(VisionNetworks.initialShape(imageSize));
        shuffle = new Random(seed);
    }

    private static Tracker schedule(float learningRate, int steps) {
        if (steps <= 0) {
            return Tracker.fixed(learningRate);
        }
        return Tracker.cosine().setBaseValue(learningRate).optFinalValue(learningRate / 100).setMaxUpdates(steps)
                .build();
    }

    /** One pass over the rows in a fresh random order; returns the mean loss of its steps. */
    float epoch(EncodedRows rows, int[] labels, int batchSize) {
        int[] order = EncodedRows.inOrder(rows.size());
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        double sum = 0;
        int steps = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            sum += step(rows, labels, order, from, Math.min(order.length, from + batchSize));
            steps++;
        }
        return (float) (sum / steps);
    }

    /** One optimiser step on rows {@code order[from..to)}; returns its loss. */
    float step(EncodedRows rows, int[] labels, int[] order, int from, int to) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList inputs = rows.batch(scope, order, from, to);
            NDArray target = scope.create(classes(labels, order, from, to), new Shape(to - from));
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray batchLoss = loss.evaluate(new NDList(target), trainer.forward(inputs));
                collector.backward(batchLoss);
                value = batchLoss.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** The share of rows whose largest logit is their label, with the network in inference mode. */
    double accuracy(EncodedRows rows, int[] labels, int batchSize) {
        int[] order = EncodedRows.inOrder(rows.size());
        int correct = 0;
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                long[] predicted = trainer.evaluate(rows.batch(scope, order, from, to)).singletonOrThrow()
                        .argMax(1).toLongArray();
                for (int r = from; r < to; r++) {
                    if (predicted[r - from] == labels[r]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / order.length;
    }

    private static long[] classes(int[] labels, int[] order, int from, int to) {
        long[] classes = new long[to - from];
        for (int r = from; r < to; r++) {
            classes[r - from] = labels[order[r]];
        }
        return classes;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
