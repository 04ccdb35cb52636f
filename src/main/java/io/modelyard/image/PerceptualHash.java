package io.modelyard.image;

import java.awt.image.BufferedImage;

/**
 * The difference hash (dHash) of an image: 64 bits that survive resizing, re-encoding and small changes of
 * brightness, so near-identical pictures can be found without comparing pixels. The image is averaged down
 * to 9 x 8 grey cells; each bit says whether a cell is darker than its right-hand neighbour.
 *
 * <p>Two hashes at most {@value #NEAR_DUPLICATE_DISTANCE} bits apart (of 64) are near-duplicates: the same
 * picture re-saved, brightened or slightly cropped typically lands within 0 to 4 bits, while unrelated
 * pictures differ in about half of them (32).
 */
public final class PerceptualHash {

    public static final int NEAR_DUPLICATE_DISTANCE = 5;

    private static final int COLUMNS = 9;
    private static final int ROWS = 8;

    private PerceptualHash() {
    }

    public static long dHash(BufferedImage image) {
        double[][] grey = greyCells(image);
        long hash = 0;
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS - 1; x++) {
                hash = hash << 1 | (grey[y][x] < grey[y][x + 1] ? 1 : 0);
            }
        }
        return hash;
    }

    /** How many of the 64 bits differ. */
    public static int distance(long first, long second) {
        return Long.bitCount(first ^ second);
    }

    public static boolean nearDuplicates(long first, long second) {
        return distance(first, second) <= NEAR_DUPLICATE_DISTANCE;
    }

    /** The mean luma of each cell: a box average, so noise and resampling do not flip bits. */
    private static double[][] greyCells(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        double[][] cells = new double[ROWS][COLUMNS];
        for (int cy = 0; cy < ROWS; cy++) {
            int y0 = cy * height / ROWS;
            int y1 = Math.max(y0 + 1, (cy + 1) * height / ROWS);
            for (int cx = 0; cx < COLUMNS; cx++) {
                int x0 = cx * width / COLUMNS;
                int x1 = Math.max(x0 + 1, (cx + 1) * width / COLUMNS);
                int[] pixels = image.getRGB(x0, y0, x1 - x0, y1 - y0, null, 0, x1 - x0);
                double sum = 0;
                for (int rgb : pixels) {
                    sum += 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
                }
                cells[cy][cx] = sum / pixels.length;
            }
        }
        return cells;
    }
}
