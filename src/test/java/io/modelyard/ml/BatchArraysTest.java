package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Batches reach the engine intact, stay intact when the next batch is staged, and leave no direct memory behind. */
class BatchArraysTest extends EngineTests {

    @Test
    void eachBatchKeepsItsValuesWhenTheNextOneIsStaged() {
        try (NDManager manager = EngineSetup.engine().newBaseManager()) {
            NDArray first = BatchArrays.of(manager, new float[] {1.5f, -2f, 3f, 4f}, new Shape(2, 2));
            NDArray ids = BatchArrays.of(manager, new int[] {7, 8, 9}, new Shape(1, 3));
            NDArray labels = BatchArrays.of(manager, new long[] {2, 0}, new Shape(2));
            BatchArrays.of(manager, new float[] {9f, 9f, 9f, 9f}, new Shape(2, 2));

            assertEquals(new Shape(2, 2), first.getShape());
            assertEquals(DataType.FLOAT32, first.getDataType());
            assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f}, first.toFloatArray(), 0f);
            assertEquals(DataType.INT32, ids.getDataType());
            assertArrayEquals(new int[] {7, 8, 9}, ids.toIntArray());
            assertEquals(DataType.INT64, labels.getDataType());
            assertArrayEquals(new long[] {2, 0}, labels.toLongArray());
        }
    }

    @Test
    void aThousandBatchesLeaveNoDirectBuffersForTheCollector() {
        float[] batch = new float[64 * 32];
        try (NDManager manager = EngineSetup.engine().newBaseManager()) {
            BatchArrays.of(manager, batch, new Shape(64, 32)).close(); // this thread's staging buffer
            long before = directBytes();
            for (int i = 0; i < 1_000; i++) {
                batch[0] = i;
                try (NDArray array = BatchArrays.of(manager, batch, new Shape(64, 32))) {
                    assertEquals(i, array.getFloat(0, 0), 0f);
                }
            }
            // DJL's own path leaves 8 KB per batch (8 MB here) until the collector runs
            long grown = directBytes() - before;
            assertTrue(grown < 1 << 20, "direct memory grew by " + grown + " bytes");
        }
    }

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
