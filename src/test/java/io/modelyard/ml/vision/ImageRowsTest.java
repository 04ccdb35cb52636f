package io.modelyard.ml.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.modelyard.ml.EncodedRows;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.EngineTests;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRowsTest extends EngineTests {

    private static final int SIZE = 16;
    private static final ChannelStats STATS = new ChannelStats(List.of(0.5, 0.25, 0.0), List.of(0.5, 0.25, 1.0));

    /** A uniform image of (255, 0, 51): ((1 - 0.5) / 0.5, (0 - 0.25) / 0.25, (0.2 - 0) / 1). */
    @Test
    void normalisesEachChannelWithItsStatistics() {
        ImageRows rows = new ImageRows(new byte[][] {uniform(255, 0, 51)}, SIZE, STATS);
        float[] values = batch(rows, new int[] {0}, new Shape(1, 3, SIZE, SIZE));
        int plane = SIZE * SIZE;
        for (int i = 0; i < plane; i++) {
            assertEquals(1f, values[i], 1e-6f);
            assertEquals(-1f, values[plane + i], 1e-6f);
            assertEquals(0.2f, values[2 * plane + i], 1e-6f);
        }
    }

    @Test
    void batchesRowsInTheGivenOrder() {
        byte[][] images = {uniform(0, 0, 0), uniform(255, 255, 255), uniform(51, 51, 51)};
        ImageRows rows = new ImageRows(images, SIZE, STATS);
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            NDArray batch = rows.batch(manager, new int[] {2, 0, 1}, 1, 3).singletonOrThrow();
            assertEquals(DataType.FLOAT32, batch.getDataType());
            assertEquals(new Shape(2, 3, SIZE, SIZE), batch.getShape());
            // red channel of the first pixel: image 0 then image 1
            assertEquals(-1f, batch.getFloat(0, 0, 0, 0), 1e-6f);
            assertEquals(1f, batch.getFloat(1, 0, 0, 0), 1e-6f);
        }
    }

    @Test
    void augmentationIsDeterministicForASeedAndKeepsTheShape() {
        byte[][] images = SyntheticShapes.chw(SyntheticShapes.generate(8, SIZE, 5, 11));
        int[] order = EncodedRows.inOrder(images.length);
        Shape shape = new Shape(8, 3, SIZE, SIZE);
        float[] first = batch(ImageRows.augmented(images, SIZE, STATS, 42), order, shape);
        float[] again = batch(ImageRows.augmented(images, SIZE, STATS, 42), order, shape);
        float[] otherSeed = batch(ImageRows.augmented(images, SIZE, STATS, 43), order, shape);
        float[] plain = batch(new ImageRows(images, SIZE, STATS), order, shape);
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, otherSeed));
        assertFalse(Arrays.equals(first, plain));
    }

    /** A crop or flip moves pixels but never brings in values foreign to the image (no black border). */
    @Test
    void augmentationOfAUniformImageOnlyChangesItsBrightness() {
        ImageRows rows = ImageRows.augmented(new byte[][] {uniform(128, 128, 128)}, SIZE, STATS, 7);
        for (int draw = 0; draw < 5; draw++) {
            float[] values = batch(rows, new int[] {0}, new Shape(1, 3, SIZE, SIZE));
            for (int c = 0; c < 3; c++) {
                int plane = SIZE * SIZE;
                float first = values[c * plane];
                for (int i = 0; i < plane; i++) {
                    assertEquals(first, values[c * plane + i], 1e-6f);
                }
            }
        }
    }

    @Test
    void refusesImagesOfAnotherSize() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ImageRows(new byte[][] {new byte[3 * 8 * 8]}, SIZE, STATS));
    }

    private static float[] batch(ImageRows rows, int[] order, Shape expected) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            NDArray batch = rows.batch(manager, order, 0, order.length).singletonOrThrow();
            assertEquals(expected, batch.getShape());
            return batch.toFloatArray();
        }
    }

    private static byte[] uniform(int r, int g, int b) {
        byte[] chw = new byte[3 * SIZE * SIZE];
        int plane = SIZE * SIZE;
        Arrays.fill(chw, 0, plane, (byte) r);
        Arrays.fill(chw, plane, 2 * plane, (byte) g);
        Arrays.fill(chw, 2 * plane, 3 * plane, (byte) b);
        return chw;
    }
}
