package io.modelyard.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.EngineTests;
import io.modelyard.ml.SyntheticData;
import io.modelyard.ml.TinySpecs;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import org.junit.jupiter.api.Test;

/** An epoch laid out on the device gives every step the rows, labels and order a batch built for it would. */
class EpochRowsTest extends EngineTests {

    @Test
    void aTabularEpochIsLaidOutOnceAndEachStepSlicesTheRowsItWouldHaveBuilt() {
        PreparedData data = PreparedData.prepare(TinySpecs.tabular(TaskType.TABULAR_CLASSIFICATION, 1),
                SyntheticData.credit(150, 20, 20, 3));
        int n = data.train.size();
        int[] order = Seeds.permutation(n, 7, 2);
        try (NDManager manager = EngineSetup.engine().newBaseManager()) {
            EpochRows epoch = EpochRows.of(data, order, manager);
            assertTrue(epoch.laidOut(), "fixed-width rows are laid out");
            // whole batches and the shorter last one
            for (int from = 0; from < n; from += 64) {
                int to = Math.min(n, from + 64);
                NDList sliced = epoch.inputs(manager, from, to);
                NDList built = data.train.batch(manager, order, from, to);
                assertEquals(built.get(0).getShape(), sliced.get(0).getShape());
                assertArrayEquals(built.get(0).toFloatArray(), sliced.get(0).toFloatArray(), 0f);
                assertArrayEquals(data.trainTargets.labels(manager, order, from, to).get(0).toLongArray(),
                        epoch.labels(manager, from, to).get(0).toLongArray());
            }
        }
    }

    @Test
    void textIsBuiltBatchByBatchBecauseEachBatchIsPaddedToItsOwnLongestRow() {
        PreparedData data = PreparedData.prepare(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 1),
                SyntheticData.topics(100, 20, 20, 3));
        int[] order = Seeds.permutation(data.train.size(), 7, 0);
        try (NDManager manager = EngineSetup.engine().newBaseManager()) {
            EpochRows epoch = EpochRows.of(data, order, manager);
            assertFalse(epoch.laidOut());
            assertArrayEquals(data.train.batch(manager, order, 10, 20).get(0).toIntArray(),
                    epoch.inputs(manager, 10, 20).get(0).toIntArray());
        }
    }
}
