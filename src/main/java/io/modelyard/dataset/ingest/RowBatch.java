package io.modelyard.dataset.ingest;

import io.modelyard.dataset.split.Split;
import java.util.Arrays;

/**
 * Rows read and normalized by the first pass, waiting for duplicate detection: decoding and hashing happen
 * for a batch, then the hash table is probed for the whole batch at once (see {@link LongIntMap#touch}).
 * Struct of arrays, reused from batch to batch. A row's text is either bytes in {@link #arena} (fast path,
 * {@code scan >= 0}) or Strings in {@link #values}.
 */
final class RowBatch {

    /** Large enough that handing batches between threads (park/unpark) costs next to nothing. */
    static final int SIZE = 1024;
    /** A batch of long rows is processed early so that memory stays small. */
    private static final int MAX_CHARS = 1 << 20;

    int count;
    final long[] row = new long[SIZE];
    final long[] input = new long[SIZE];
    final long[] scan = new long[SIZE];
    final int[] labelId = new int[SIZE];
    final int[] token = new int[SIZE];
    final String[] label = new String[SIZE];
    final Split[] given = new Split[SIZE];
    final String[][] values;
    final int[] from = new int[SIZE];
    final int[] to = new int[SIZE];
    byte[] arena = new byte[SIZE * 128];
    private int arenaLength;
    private long chars;

    RowBatch(int columns) {
        values = new String[SIZE][columns];
    }

    boolean full() {
        return count == SIZE || chars >= MAX_CHARS;
    }

    /** Counts the text held for a row, fast path or not. */
    void weigh(long length) {
        chars += length;
    }

    /** Copies a fast-path text into the arena for row {@code i}. */
    void text(int i, byte[] b, int start, int end) {
        int length = end - start;
        if (arenaLength + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arenaLength + length, arena.length * 2));
        }
        System.arraycopy(b, start, arena, arenaLength, length);
        from[i] = arenaLength;
        to[i] = arenaLength + length;
        arenaLength += length;
        chars += length;
    }

    void clear() {
        count = 0;
        arenaLength = 0;
        chars = 0;
        if (arena.length > 4 * MAX_CHARS) {
            arena = new byte[SIZE * 128];
        }
        for (String[] row : values) {
            Arrays.fill(row, null);
        }
    }
}
