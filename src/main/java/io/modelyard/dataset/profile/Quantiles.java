package io.modelyard.dataset.profile;

/** The 5th, 25th, 50th, 75th and 95th percentiles (linear interpolation between ranks, as numpy's default). */
public record Quantiles(double p05, double p25, double p50, double p75, double p95) {

    static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

    static Quantiles of(double[] values) {
        return new Quantiles(values[0], values[1], values[2], values[3], values[4]);
    }

    /** Linear interpolation at {@code q} in a sorted array of {@code n} values. */
    static double interpolate(double[] sorted, int n, double q) {
        double h = (n - 1) * q;
        int lower = (int) Math.floor(h);
        int upper = Math.min(lower + 1, n - 1);
        return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
    }
}
