package io.modelyard.ml.vision;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Per-channel mean and standard deviation of the training images, pixel values scaled to [0, 1]; stored in the
 * artifact as {@link #ENTRY} so serving normalises as training did.
 *
 * @param mean R, G, B means
 * @param std  R, G, B standard deviations; 1 for a channel that is constant in every image
 */
public record ChannelStats(List<Double> mean, List<Double> std) {

    public static final String ENTRY = "image-stats.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double CONSTANT = 1e-6;

    public ChannelStats {
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("three channels expected, got " + mean.size() + " means and "
                    + std.size() + " deviations");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** Statistics of images in {@link ImageTensors#toChw} form (all of the same size). */
    public static ChannelStats fit(List<byte[]> images) {
        // integer sums are exact: 2^63 / 255^2 pixels is far beyond any dataset on a heap
        long[] sum = new long[3];
        long[] sumSquares = new long[3];
        long pixels = 0;
        for (byte[] image : images) {
            int plane = image.length / 3;
            for (int c = 0; c < 3; c++) {
                for (int i = c * plane, end = i + plane; i < end; i++) {
                    int v = image[i] & 0xFF;
                    sum[c] += v;
                    sumSquares[c] += v * v;
                }
            }
            pixels += plane;
        }
        if (pixels == 0) {
            throw new IllegalArgumentException("no images to fit channel statistics on");
        }
        Double[] mean = new Double[3];
        Double[] std = new Double[3];
        for (int c = 0; c < 3; c++) {
            double m = (double) sum[c] / pixels;
            double variance = Math.max(0, (double) sumSquares[c] / pixels - m * m);
            double s = Math.sqrt(variance) / 255;
            mean[c] = m / 255;
            std[c] = s < CONSTANT ? 1.0 : s;
        }
        return new ChannelStats(Arrays.asList(mean), Arrays.asList(std));
    }

    public static ChannelStats read(byte[] entry) throws IOException {
        return JSON.readValue(entry, ChannelStats.class);
    }

    public byte[] toBytes() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write channel statistics", e);
        }
    }

    /** {@code table[c][v]}: the normalised value of byte {@code v} in channel {@code c}. */
    float[][] lookupTable() {
        float[][] table = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = normalise(c, v / 255f);
            }
        }
        return table;
    }

    /** {@code (x - mean) / std} for a value {@code x} in [0, 1]. */
    float normalise(int channel, float x) {
        return (float) ((x - mean.get(channel)) / std.get(channel));
    }
}
