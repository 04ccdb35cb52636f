package io.modelyard.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.EngineTests;
import io.modelyard.training.engine.OptimizerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A token table's sparse gradient is optimized exactly as its dense gradient would be: same weights, same moments,
 * step after step, including rows no batch touched (their moments still decay) and tokens repeated in a batch.
 */
class StatefulOptimizerTest extends EngineTests {

    private static final int VOCABULARY = 40;
    private static final int WIDTH = 6;
    /** Three batches of token ids; 3 and 7 repeat within and across batches, most rows never appear. */
    private static final int[][] BATCHES = {{3, 7, 3, 12, 7, 7}, {5, 3, 3, 30, 1, 7}, {7, 7, 7, 2, 3, 39}};

    @ParameterizedTest
    @EnumSource(OptimizerKind.class)
    void aSparseGradientTrainsTheTableExactlyAsADenseOne(OptimizerKind kind) {
        try (NDManager manager = EngineSetup.engine().newBaseManager()) {
            NDArray start = manager.randomUniform(-0.05f, 0.05f, new Shape(VOCABULARY, WIDTH));
            NDArray target = manager.randomNormal(new Shape(BATCHES[0].length, WIDTH));
            float[] dense = train(manager, kind, start, target, SparseFormat.DENSE);
            float[] sparse = train(manager, kind, start, target, SparseFormat.COO);

            assertNotEquals(0f, difference(start.toFloatArray(), dense), "the table did not move");
            assertArrayEquals(dense, sparse, 1e-6f);
        }
    }

    /** Trains a copy of {@code start} three steps; returns its final weights followed by the optimizer's state. */
    private static float[] train(NDManager manager, OptimizerKind kind, NDArray start, NDArray target,
            SparseFormat format) {
        NDArray table = start.duplicate();
        table.setRequiresGradient(true);
        StatefulOptimizer optimizer = new StatefulOptimizer(kind, 0.9, kind == OptimizerKind.ADAM ? 0 : 0.01);
        for (int step = 0; step < BATCHES.length; step++) {
            NDArray ids = manager.create(BATCHES[step]);
            try (GradientCollector collector = EngineSetup.engine().newGradientCollector()) {
                NDArray embedded = Embedding.embedding(ids, table, format).head();
                collector.backward(embedded.sub(target).square().sum());
            }
            NDArray gradient = table.getGradient();
            assertEquals(format, gradient.getSparseFormat());
            optimizer.beginStep(step, 0.01f);
            optimizer.update("table", table, gradient);
        }
        float[] weights = table.toFloatArray();
        float[] state = optimizer.stateOf("table");
        float[] all = new float[weights.length + state.length];
        System.arraycopy(weights, 0, all, 0, weights.length);
        System.arraycopy(state, 0, all, weights.length, state.length);
        return all;
    }

    private static float difference(float[] before, float[] after) {
        float sum = 0;
        for (int i = 0; i < before.length; i++) {
            sum += Math.abs(after[i] - before[i]);
        }
        return sum;
    }
}
