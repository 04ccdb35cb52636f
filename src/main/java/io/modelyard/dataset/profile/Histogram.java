package io.modelyard.dataset.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Equal-width bins of a numeric column between its min and max, for the portal's histograms. Counted from every
 * value up to {@link NumericAccumulator#EXACT_LIMIT}, beyond that from the uniform sample and scaled to the
 * column's count (then approximate, as the quantiles are).
 */
public record Histogram(List<Bin> bins) {

    static final int BINS = 20;

    /** One bin: values in [lower, upper), the last bin closed. */
    public record Bin(double lower, double upper, long count) {
    }

    static Histogram of(double[] values, int kept, double min, double max, long total) {
        if (kept == 0) {
            return new Histogram(List.of());
        }
        if (min == max) {
            return new Histogram(List.of(new Bin(min, max, total)));
        }
        long[] counts = new long[BINS];
        double width = (max - min) / BINS;
        for (int i = 0; i < kept; i++) {
            int bin = (int) ((values[i] - min) / width);
            counts[Math.min(BINS - 1, Math.max(0, bin))]++;
        }
        double scale = (double) total / kept;
        List<Bin> bins = new ArrayList<>(BINS);
        for (int b = 0; b < BINS; b++) {
            bins.add(new Bin(min + b * width, b == BINS - 1 ? max : min + (b + 1) * width,
                    Math.round(counts[b] * scale)));
        }
        return new Histogram(List.copyOf(bins));
    }
}
