package io.modelyard.dataset.ingest;

/**
 * Open-addressing map from 64-bit hashes to ints, key and value side by side in one array so a lookup costs
 * one cache miss: 16 bytes a slot at a load factor of at most 0.6, so a million distinct rows take about
 * 32 MB. Keys are hashes already; the slot comes from their high bits.
 */
final class LongIntMap {

    private static final long EMPTY = 0;
    private static final long ZERO_KEY = 0x9E3779B97F4A7C15L;

    private long[] slots;
    private int size;
    private int mask;
    private int threshold;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) (expected / 0.6) + 1) - 1) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        slots = new long[capacity * 2];
        mask = capacity - 1;
        threshold = (int) (capacity * 0.6);
    }

    /** The value of {@code key}, or {@code absent}. */
    int get(long key, int absent) {
        long k = key == EMPTY ? ZERO_KEY : key;
        final long[] s = slots;
        for (int i = slot(k); ; i = (i + 1) & mask) {
            long found = s[i << 1];
            if (found == k) {
                return (int) s[(i << 1) + 1];
            }
            if (found == EMPTY) {
                return absent;
            }
        }
    }

    void put(long key, int value) {
        long k = key == EMPTY ? ZERO_KEY : key;
        final long[] s = slots;
        for (int i = slot(k); ; i = (i + 1) & mask) {
            long found = s[i << 1];
            if (found == k) {
                s[(i << 1) + 1] = value;
                return;
            }
            if (found == EMPTY) {
                s[i << 1] = k;
                s[(i << 1) + 1] = value;
                if (++size > threshold) {
                    grow();
                }
                return;
            }
        }
    }

    int size() {
        return size;
    }

    /**
     * Reads the home slot of each of {@code keys[from..to)} in one tight loop, so their cache misses overlap
     * instead of being paid one after another by the lookups that follow. Returns a value only so the reads
     * cannot be optimized away.
     */
    long touch(long[] keys, int from, int to) {
        final long[] s = slots;
        long sum = 0;
        for (int i = from; i < to; i++) {
            long k = keys[i] == EMPTY ? ZERO_KEY : keys[i];
            sum += s[slot(k) << 1];
        }
        return sum;
    }

    private int slot(long k) {
        return (int) (k >>> 32) & mask;
    }

    private void grow() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        for (int j = 0; j < old.length; j += 2) {
            long k = old[j];
            if (k != EMPTY) {
                int i = slot(k);
                while (slots[i << 1] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i << 1] = k;
                slots[(i << 1) + 1] = old[j + 1];
            }
        }
    }
}
