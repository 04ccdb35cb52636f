package io.modelyard.ml.train;

import java.util.SplittableRandom;

/**
 * The run's random streams as pure functions of (seed, position): the shuffle of epoch e and the engine seed of
 * step s. Resuming at any step therefore needs no saved generator state and continues the same streams.
 */
final class Seeds {

    private Seeds() {
    }

    /** The order in which epoch {@code epoch} visits the {@code n} training rows. */
    static int[] permutation(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, 0x5EED_5417L + epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The engine seed before optimizer step {@code step} (-1: parameter initialisation). */
    static int engineSeed(long seed, long step) {
        return (int) (mix(seed, step) >>> 33);
    }

    private static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
