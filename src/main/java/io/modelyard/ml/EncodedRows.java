package io.modelyard.ml;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Encoded model inputs held compactly on the Java heap, turned into one batch of arrays at a time: the single
 * path from data to the network, shared by training, evaluation and serving. Rows here are already encoded
 * (token ids, standardised features) and read in any order; the raw rows a batch prediction streams through, one at
 * a time, are {@code serving.batch.InputRows}.
 */
public interface EncodedRows {

    int size();

    /**
     * The network input for rows {@code order[from]} to {@code order[to - 1]}, created in {@code manager} with
     * one bulk copy per array.
     */
    NDList batch(NDManager manager, int[] order, int from, int to);

    /**
     * The bytes every row takes as network input, when that is fixed: then any rows' batch is a slice of the
     * batch of all of them. -1 where a batch is laid out for its own rows (text pads to its longest row) or made
     * afresh each time (images are decoded and augmented per batch).
     */
    default long fixedRowBytes() {
        return -1;
    }

    /** The order 0, 1, ..., n - 1: rows as they come. */
    static int[] inOrder(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
