package io.modelyard.dataset.profile;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Streaming statistics of a numeric column: count, min, max, mean and variance (Welford), and quantiles from
 * every value up to a limit, then from a uniform reservoir sample of that many values (Vitter's algorithm R,
 * seeded so results are reproducible).
 */
public final class NumericAccumulator {

    /** Values kept per column for quantiles; 8 bytes each. */
    public static final int EXACT_LIMIT = 100_000;

    private final int limit;
    private final SplittableRandom random;
    private double[] values = new double[256];
    private long count;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private boolean sorted;

    public NumericAccumulator() {
        this(EXACT_LIMIT, 0x5EED);
    }

    public NumericAccumulator(int limit, long seed) {
        this.limit = limit;
        this.random = new SplittableRandom(seed);
    }

    public void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
        min = Math.min(min, x);
        max = Math.max(max, x);
        sorted = false;
        if (count <= limit) {
            int i = (int) count - 1;
            if (i == values.length) {
                values = Arrays.copyOf(values, Math.min(limit, values.length * 2));
            }
            values[i] = x;
        } else {
            long j = random.nextLong(count);
            if (j < limit) {
                values[(int) j] = x;
            }
        }
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Sample standard deviation; 0 for a single value. */
    public double std() {
        return count < 2 ? 0 : Math.sqrt(m2 / (count - 1));
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public boolean exact() {
        return count <= limit;
    }

    public double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        int n = (int) Math.min(count, limit);
        if (!sorted) {
            // Sorting the reservoir in place is fine: replacement picks slots uniformly, order is irrelevant.
            Arrays.sort(values, 0, n);
            sorted = true;
        }
        return Quantiles.interpolate(values, n, q);
    }

    public NumericSummary summary() {
        if (count == 0) {
            return null;
        }
        double[] q = new double[Quantiles.LEVELS.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantile(Quantiles.LEVELS[i]);
        }
        int kept = (int) Math.min(count, limit);
        return new NumericSummary(count, min, max, mean, std(), Quantiles.of(q), exact(),
                Histogram.of(values, kept, min, max, count));
    }
}
