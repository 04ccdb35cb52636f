package io.modelyard.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.modelyard.ml.BatchArrays;

/**
 * Where one epoch's batches come from. Rows of a fixed width (tabular features) are laid out on the device once
 * an epoch, in the epoch's order, and each step takes a slice of them (a view, not a copy): building every batch
 * on the heap and copying it over cost an MLP about a twentieth of its epoch. Other rows — text padded to its
 * batch's longest row, images decoded and augmented per batch, or a split larger than a staged batch may be — are built
 * batch by batch. Either way a step sees the same rows in the same order.
 */
final class EpochRows {


    private final PreparedData data;
    private final int[] order;
    private final NDList inputs;
    private final NDList labels;

    private EpochRows(PreparedData data, int[] order, NDList inputs, NDList labels) {
        this.data = data;
        this.order = order;
        this.inputs = inputs;
        this.labels = labels;
    }

    /** The epoch's rows in {@code order}; arrays laid out here belong to {@code epochManager}. */
    static EpochRows of(PreparedData data, int[] order, NDManager epochManager) {
        long rowBytes = data.train.fixedRowBytes();
        // only a split whose features and labels (int64 at most) are staged like a batch: a larger one would leave
        // a direct buffer an epoch to the collector
        long widest = Math.max(rowBytes, Long.BYTES);
        if (rowBytes <= 0 || widest * order.length > BatchArrays.MAX_STAGED_BYTES) {
            return new EpochRows(data, order, null, null);
        }
        return new EpochRows(data, order, data.train.batch(epochManager, order, 0, order.length),
                data.trainTargets.labels(epochManager, order, 0, order.length));
    }

    boolean laidOut() {
        return inputs != null;
    }

    /** The network input of the epoch's rows {@code from} to {@code to - 1}, in {@code manager}. */
    NDList inputs(NDManager manager, int from, int to) {
        return inputs == null ? data.train.batch(manager, order, from, to) : slice(inputs, manager, from, to);
    }

    /** Their labels (and a teacher's soft targets when distilling), in {@code manager}. */
    NDList labels(NDManager manager, int from, int to) {
        return labels == null ? data.trainTargets.labels(manager, order, from, to) : slice(labels, manager, from, to);
    }

    private static NDList slice(NDList all, NDManager manager, int from, int to) {
        NDIndex rows = new NDIndex().addSliceDim(from, to);
        NDList slice = new NDList(all.size());
        for (NDArray array : all) {
            slice.add(array.get(manager, rows));
        }
        return slice;
    }
}
