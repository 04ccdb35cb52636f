package io.modelyard.ml.vision;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.modelyard.ml.BatchArrays;
import io.modelyard.ml.EncodedRows;
import java.util.Random;

/**
 * Images in {@link ImageTensors#toChw} form, batched as one float32 {@code [B, 3, S, S]} array normalised by
 * {@link ChannelStats}: {@code (x / 255 - mean) / std}.
 *
 * <p>Rows made by {@link #augmented} change each image every time it is batched, for the training split only:
 * a random crop of the image padded by {@code S/8} pixels on each side (the padding mirrors the edge, so no black
 * border appears that the network could learn), a horizontal flip half of the time, and brightness and contrast
 * scaled by up to ±{@value #JITTER}. The draws come from one {@link Random} seeded at construction: the same seed
 * and the same sequence of {@code batch} calls give the same arrays.
 */
public final class ImageRows implements EncodedRows {

    static final float JITTER = 0.2f;

    private final byte[][] images;
    private final int size;
    private final float[][] table;
    private final float[] mean = new float[3];
    private final float[] inverseStd = new float[3];
    private final Random random;

    /** Rows batched as they are: evaluation, serving. */
    public ImageRows(byte[][] images, int size, ChannelStats stats) {
        this(images, size, stats, null);
    }

    private ImageRows(byte[][] images, int size, ChannelStats stats, Random random) {
        int length = 3 * size * size;
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != length) {
                throw new IllegalArgumentException("image " + i + " has " + images[i].length + " bytes, not 3·"
                        + size + "·" + size);
            }
        }
        this.images = images;
        this.size = size;
        this.table = stats.lookupTable();
        for (int c = 0; c < 3; c++) {
            mean[c] = stats.mean().get(c).floatValue();
            inverseStd[c] = (float) (1 / stats.std().get(c));
        }
        this.random = random;
    }

    /** Rows with random crops, flips and colour jitter drawn from {@code seed}: the training split. */
    public static ImageRows augmented(byte[][] images, int size, ChannelStats stats, long seed) {
        if (size < 2) {
            throw new IllegalArgumentException("images of " + size + " pixels cannot be cropped");
        }
        return new ImageRows(images, size, stats, new Random(seed));
    }

    public boolean isAugmented() {
        return random != null;
    }

    public int imageSize() {
        return size;
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public NDList batch(NDManager manager, int[] order, int from, int to) {
        int length = 3 * size * size;
        float[] values = new float[(to - from) * length];
        for (int r = from; r < to; r++) {
            byte[] image = images[order[r]];
            int offset = (r - from) * length;
            if (random == null) {
                copy(image, values, offset);
            } else {
                augment(image, values, offset);
            }
        }
        return new NDList(BatchArrays.of(manager, values, new Shape(to - from, 3, size, size)));
    }

    private void copy(byte[] image, float[] values, int offset) {
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            float[] channel = table[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                values[offset + i] = channel[image[i] & 0xFF];
            }
        }
    }

    private void augment(byte[] image, float[] values, int offset) {
        int pad = Math.max(1, size / 8);
        int shiftX;
        int shiftY;
        boolean flip;
        float contrast;
        float brightness;
        synchronized (random) {
            shiftX = random.nextInt(2 * pad + 1) - pad;
            shiftY = random.nextInt(2 * pad + 1) - pad;
            flip = random.nextBoolean();
            contrast = 1 + JITTER * (2 * random.nextFloat() - 1);
            brightness = 1 + JITTER * (2 * random.nextFloat() - 1);
        }
        // contrast pulls every value towards the image's mean brightness, as torchvision's ColorJitter does
        float pivot = meanValue(image);
        int plane = size * size;
        for (int c = 0; c < 3; c++) {
            int source = c * plane;
            int target = offset + c * plane;
            for (int y = 0; y < size; y++) {
                int row = source + mirror(y + shiftY) * size;
                for (int x = 0; x < size; x++) {
                    int sx = mirror((flip ? size - 1 - x : x) + shiftX);
                    float v = (image[row + sx] & 0xFF) / 255f;
                    v = ((v - pivot) * contrast + pivot) * brightness;
                    v = Math.min(1f, Math.max(0f, v));
                    values[target + y * size + x] = (v - mean[c]) * inverseStd[c];
                }
            }
        }
    }

    /** Reflects a coordinate that falls off the image back into it (…2 1 | 0 1 2 … S-1 | S-2 …). */
    private int mirror(int i) {
        if (i < 0) {
            return Math.min(-i, size - 1);
        }
        if (i >= size) {
            return Math.max(2 * size - 2 - i, 0);
        }
        return i;
    }

    private static float meanValue(byte[] image) {
        long sum = 0;
        for (byte b : image) {
            sum += b & 0xFF;
        }
        return sum / (255f * image.length);
    }
}
