package io.modelyard.dataset.split;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the split of each row as the rows stream by, one stratum (label) at a time, without knowing how many
 * rows a stratum will have.
 *
 * <p>For the k-th row of a stratum, each split s is owed {@code d_s = k·share_s − assigned_s}. A split owed
 * more than one row takes the row; otherwise the row goes to a split with {@code d_s > 0}, drawn with
 * probability proportional to {@code d_s} from a generator seeded by (seed, stratum name). With three splits
 * this keeps {@code |assigned_s − n·share_s| ≤ 1} after every row, so each label's shares are within one row
 * of exact whatever its final count, and the same rows in the same order with the same seed get the same
 * splits. (Proof sketch: the owed amounts sum to 1 and each stays above −1, so at most one can exceed 1.)
 */
public final class SplitAssigner {

    private static final double EPSILON = 1e-9;

    private final double[] shares;
    private final long seed;
    private Stratum[] strata = new Stratum[8];

    public SplitAssigner(SplitOptions options) {
        this.shares = options.shares();
        this.seed = options.seed();
    }

    /**
     * The split of the next row of stratum {@code id}; {@code name} (the label, or any constant for an
     * unstratified draw) seeds that stratum's generator when it is first seen, so ids may differ between
     * runs without changing the draw.
     */
    public Split assign(int id, String name) {
        if (id >= strata.length) {
            strata = Arrays.copyOf(strata, Math.max(id + 1, strata.length * 2));
        }
        Stratum stratum = strata[id];
        if (stratum == null) {
            stratum = new Stratum(new SplittableRandom(seed ^ mix(name)));
            strata[id] = stratum;
        }
        return Split.ofOrdinal(stratum.next(shares));
    }

    private static long mix(String name) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0xBF58476D1CE4E5B9L;
        }
        return h ^ (h >>> 31);
    }

    private static final class Stratum {

        private final SplittableRandom random;
        private final long[] assigned = new long[3];
        private long rows;

        Stratum(SplittableRandom random) {
            this.random = random;
        }

        int next(double[] shares) {
            long k = rows + 1;
            double[] owed = new double[3];
            int forced = -1;
            double positive = 0;
            for (int s = 0; s < 3; s++) {
                owed[s] = k * shares[s] - assigned[s];
                if (owed[s] > 1 + EPSILON && (forced < 0 || owed[s] > owed[forced])) {
                    forced = s;
                }
                if (owed[s] > EPSILON) {
                    positive += owed[s];
                }
            }
            int chosen = forced;
            if (chosen < 0) {
                double draw = random.nextDouble() * positive;
                for (int s = 0; s < 3; s++) {
                    if (owed[s] > EPSILON) {
                        chosen = s;
                        draw -= owed[s];
                        if (draw < 0) {
                            break;
                        }
                    }
                }
            }
            assigned[chosen]++;
            rows = k;
            return chosen;
        }
    }
}
