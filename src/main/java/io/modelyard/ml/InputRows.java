package io.modelyard.ml;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Encoded model inputs held compactly on the Java heap, turned into one batch of arrays at a time: the single
 * path from data to the network, shared by training, evaluation and serving.
 */
public interface InputRows {

    int size();

    /**
     * The network input for rows {@code order[from]} to {@code order[to - 1]}, created in {@code manager} with
     * one bulk copy per array.
     */
    NDList batch(NDManager manager, int[] order, int from, int to);
}
