package io.modelyard.dataset.ingest;

/** A set of 64-bit hashes (open addressing); small in practice: conflicting or repeated inputs only. */
final class LongSet {

    private static final long EMPTY = 0;
    private static final long ZERO_KEY = 0x9E3779B97F4A7C15L;

    private long[] keys = new long[16];
    private int size;

    /** True when {@code key} was not in the set. */
    boolean add(long key) {
        long k = key == EMPTY ? ZERO_KEY : key;
        if (size + 1 > keys.length * 0.6) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                return false;
            }
            if (keys[i] == EMPTY) {
                keys[i] = k;
                size++;
                return true;
            }
        }
    }

    boolean contains(long key) {
        if (size == 0) {
            return false;
        }
        long k = key == EMPTY ? ZERO_KEY : key;
        int mask = keys.length - 1;
        for (int i = slot(k, mask); ; i = (i + 1) & mask) {
            if (keys[i] == k) {
                return true;
            }
            if (keys[i] == EMPTY) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private static int slot(long k, int mask) {
        return (int) ((k * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        int mask = keys.length - 1;
        for (long k : old) {
            if (k != EMPTY) {
                int i = slot(k, mask);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
            }
        }
    }
}
