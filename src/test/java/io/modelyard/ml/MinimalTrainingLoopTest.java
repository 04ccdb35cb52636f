package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training benchmark's limit trains every network it measures: two steps on one batch lower its loss. */
class MinimalTrainingLoopTest {

    @ParameterizedTest
    @ValueSource(strings = {"bag_of_embeddings", "text_cnn", "bilstm", "lstm_classic", "transformer", "mlp"})
    void twoStepsLowerTheLoss(String architecture) {
        BenchmarkSetup setup = new BenchmarkSetup(new String[] {"architecture=" + architecture, "samples=32",
            "batch=32", "length=12", "vocabulary=100", "width=16", "features=8", "dropout=0", "learning_rate=0.01"});
        try (MinimalTrainingLoop loop = new MinimalTrainingLoop(setup, Device.cpu())) {
            assertEquals(1, loop.batchCount());
            float[] losses = loop.train(2, true);
            assertTrue(Float.isFinite(losses[0]), "first loss " + losses[0]);
            assertTrue(losses[1] < losses[0], architecture + ": loss went from " + losses[0] + " to " + losses[1]);
        }
    }
}
