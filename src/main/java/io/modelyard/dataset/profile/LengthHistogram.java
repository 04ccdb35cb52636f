package io.modelyard.dataset.profile;

import java.util.Arrays;

/** Exact distribution of non-negative integer lengths: one counter per length seen (bounded by the field limit). */
public final class LengthHistogram {

    private long[] counts = new long[256];
    private long n;
    private long sum;
    private int max = -1;

    public void add(int length) {
        if (length >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(length + 1, counts.length * 2));
        }
        counts[length]++;
        n++;
        sum += length;
        max = Math.max(max, length);
    }

    public long count() {
        return n;
    }

    /** The value at 0-based rank {@code rank} of the sorted lengths. */
    private long atRank(long rank) {
        long seen = 0;
        for (int length = 0; length <= max; length++) {
            seen += counts[length];
            if (seen > rank) {
                return length;
            }
        }
        return max;
    }

    public double quantile(double q) {
        double h = (n - 1) * q;
        long lower = (long) Math.floor(h);
        long a = atRank(lower);
        long b = atRank(Math.min(lower + 1, n - 1));
        return a + (h - lower) * (b - a);
    }

    public LengthSummary summary() {
        if (n == 0) {
            return null;
        }
        double[] q = new double[Quantiles.LEVELS.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantile(Quantiles.LEVELS[i]);
        }
        return new LengthSummary(atRank(0), (double) sum / n, max, Quantiles.of(q));
    }
}
