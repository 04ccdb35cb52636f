package io.modelyard.dataset.version;

import java.util.Arrays;

/**
 * Where rows start in a processed version: the byte offset of every {@link #EVERY}-th row (the first entry is
 * row 0's, which is also the header's length). A page of rows deep in a large version then reads from the
 * nearest indexed row instead of from the start of the blob.
 */
public record RowIndex(long[] offsets) {

    public static final int EVERY = 10_000;
    public static final RowIndex NONE = new RowIndex(new long[0]);

    public RowIndex {
        offsets = offsets.clone();
    }

    @Override
    public long[] offsets() {
        return offsets.clone();
    }

    public boolean isEmpty() {
        return offsets.length == 0;
    }

    /** The header's length in bytes (row 0 starts right after it). */
    long headerBytes() {
        return offsets[0];
    }

    /** The indexed row at or before {@code row}: its number, and its byte offset. */
    long[] nearest(long row) {
        int entry = (int) Math.min(row / EVERY, offsets.length - 1);
        return new long[] {(long) entry * EVERY, offsets[entry]};
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowIndex that && Arrays.equals(offsets, that.offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }

    /** Collects offsets while rows are written. */
    public static final class Builder {

        private long[] offsets = new long[16];
        private int size;
        private long rows;

        /** The next row starts at {@code offset}. */
        public void rowStartsAt(long offset) {
            if (rows++ % EVERY == 0) {
                if (size == offsets.length) {
                    offsets = Arrays.copyOf(offsets, size * 2);
                }
                offsets[size++] = offset;
            }
        }

        public RowIndex build() {
            return new RowIndex(Arrays.copyOf(offsets, size));
        }
    }
}
