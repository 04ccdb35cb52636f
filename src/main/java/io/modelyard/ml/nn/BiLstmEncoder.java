package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A bidirectional LSTM that never reads padding: each layer runs a forward LSTM on the text and a backward LSTM
 * on the text reversed within its own length (the reverse index input), and joins both in text order. The
 * result is max- and mean-pooled over the real tokens. So a text gets the same features whatever the padding of
 * its batch.
 */
public final class BiLstmEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<LSTM> forward = new ArrayList<>();
    private final List<LSTM> backward = new ArrayList<>();
    private final Dropout dropout;
    private final int hidden;

    public BiLstmEncoder(int hidden, int layers, float dropoutRate) {
        super(VERSION);
        this.hidden = hidden;
        for (int l = 0; l < layers; l++) {
            forward.add(addChildBlock("forward" + l, lstm(hidden)));
            backward.add(addChildBlock("backward" + l, lstm(hidden)));
        }
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    }

    static LSTM lstm(int hidden) {
        return LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray embedded = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray reverse = inputs.get(2);
        NDArray inOrder = embedded;
        NDArray reversed = reverse(embedded, reverse);
        NDArray joined = null;
        for (int l = 0; l < forward.size(); l++) {
            if (l > 0) {
                inOrder = dropout.forward(store, new NDList(joined), training).head();
                reversed = reverse(inOrder, reverse);
            }
            NDArray f = forward.get(l).forward(store, new NDList(inOrder), training).head();
            NDArray b = backward.get(l).forward(store, new NDList(reversed), training).head();
            joined = NDArrays.concat(new NDList(f, reverse(b, reverse)), 2);
        }
        NDArray mask3 = mask.expandDims(2);
        // LSTM outputs lie in (-1, 1): shifting padding by -2 keeps it out of the max
        NDArray max = joined.add(mask3.sub(1f).mul(2f)).max(new int[] {1});
        return new NDList(NDArrays.concat(new NDList(max, MeanPoolEncoder.maskedMean(joined, mask)), 1));
    }

    /** Reverses each row of (batch, length, width) within its own length. */
    private static NDArray reverse(NDArray values, NDArray reverseIndex) {
        Shape shape = values.getShape();
        return values.gather(reverseIndex.expandDims(2).broadcast(shape), 1);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = inputShapes[0];
        Shape joined = new Shape(embedded.get(0), embedded.get(1), 2L * hidden);
        for (int l = 0; l < forward.size(); l++) {
            Shape input = l == 0 ? embedded : joined;
            forward.get(l).initialize(manager, dataType, input);
            backward.get(l).initialize(manager, dataType, input);
        }
        dropout.initialize(manager, dataType, joined);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 4L * hidden)};
    }
}
