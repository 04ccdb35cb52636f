package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** fastText-like bag of embeddings: the mean of the token vectors, padding excluded. No parameters. */
public final class MeanPoolEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    public MeanPoolEncoder() {
        super(VERSION);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(maskedMean(inputs.get(0), inputs.get(1)));
    }

    /** Mean over the real tokens of (batch, length, width) values; mask is (batch, length) of 0 and 1. */
    static NDArray maskedMean(NDArray values, NDArray mask) {
        NDArray sum = values.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
        return sum.div(count);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape embedded = inputShapes[0];
        return new Shape[] {new Shape(embedded.get(0), embedded.get(2))};
    }
}
