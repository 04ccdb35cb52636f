package io.modelyard.ml.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.modelyard.ml.BatchArrays;

/** Lays compact token rows out as one padded (batch, length) array, plus the reverse index for BiLSTM. */
final class TextBatches {

    private TextBatches() {
    }

    static NDList batch(TextEncoding encoding, int[] offsets, int[] tokens, NDManager manager, int[] order,
            int from, int to) {
        int rows = to - from;
        int longest = 0;
        for (int i = from; i < to; i++) {
            int row = order[i];
            longest = Math.max(longest, offsets[row + 1] - offsets[row]);
        }
        int length = encoding.paddedLength(longest);
        int[] ids = new int[rows * length];
        long[] reverse = encoding.reverseIndex() ? new long[rows * length] : null;
        for (int r = 0; r < rows; r++) {
            int row = order[from + r];
            int start = offsets[row];
            int n = Math.min(offsets[row + 1] - start, length);
            int at = r * length + (encoding.padInFront() ? length - n : 0);
            System.arraycopy(tokens, start, ids, at, n);
            if (reverse != null) {
                int base = r * length;
                for (int t = 0; t < length; t++) {
                    reverse[base + t] = t < n ? n - 1 - t : t;
                }
            }
        }
        NDArray idArray = BatchArrays.of(manager, ids, new Shape(rows, length));
        if (reverse == null) {
            return new NDList(idArray);
        }
        return new NDList(idArray, BatchArrays.of(manager, reverse, new Shape(rows, length)));
    }
}
