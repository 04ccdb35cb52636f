package io.modelyard.ml.serve;

import io.modelyard.ml.ModelOutputs;
import io.modelyard.serving.engine.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Attribution by occlusion for images: the image, and the image with each cell of a {@link #GRID}×{@link #GRID}
 * grid covered by the training mean colour, go through the model in one batch; a cell's value is how much the
 * predicted class's probability drops when it is covered. Coarse on purpose: 65 rows cost one small batch.
 */
final class ImageOcclusion {

    static final int GRID = 8;

    private ImageOcclusion() {
    }

    /**
     * @param chw           the image as the network sees it: RGB planes of {@code size}×{@code size}
     * @param probabilities runs the model on such images and gives row-major class probabilities
     */
    static Explanation explain(byte[] chw, int size, byte[] meanColour, List<String> labels,
            Function<byte[][], float[]> probabilities) {
        byte[][] variants = new byte[GRID * GRID + 1][];
        variants[0] = chw;
        for (int cell = 0; cell < GRID * GRID; cell++) {
            variants[cell + 1] = covered(chw, size, meanColour, cell / GRID, cell % GRID);
        }
        int classes = labels.size();
        float[] p = probabilities.apply(variants);
        int label = ModelOutputs.argmax(p, classes)[0];
        double base = p[label];
        List<List<Double>> map = new ArrayList<>(GRID);
        for (int row = 0; row < GRID; row++) {
            List<Double> cells = new ArrayList<>(GRID);
            for (int column = 0; column < GRID; column++) {
                cells.add(base - p[(row * GRID + column + 1) * classes + label]);
            }
            map.add(cells);
        }
        return new Explanation(labels.get(label), base, null, map);
    }

    /** The image with one cell filled (cells split the side as evenly as it divides). */
    private static byte[] covered(byte[] chw, int size, byte[] colour, int row, int column) {
        byte[] copy = chw.clone();
        int top = row * size / GRID;
        int bottom = (row + 1) * size / GRID;
        int left = column * size / GRID;
        int right = (column + 1) * size / GRID;
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            for (int y = top; y < bottom; y++) {
                java.util.Arrays.fill(copy, c * plane + y * size + left, c * plane + y * size + right, colour[c]);
            }
        }
        return copy;
    }
}
