package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The classic Keras stack: LSTM(hidden, return_sequences=True) → LSTM(hidden / 2), the last time step's output.
 * Texts are padded in front, as {@code pad_sequences} does, so the last step is the text's last token.
 */
public final class ClassicLstmEncoder extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final NDIndex LAST_STEP = new NDIndex(":, -1, :");

    private final LSTM first;
    private final LSTM second;
    private final int hidden;

    public ClassicLstmEncoder(int hidden) {
        super(VERSION);
        this.hidden = hidden;
        first = addChildBlock("lstm1", BiLstmEncoder.lstm(hidden));
        second = addChildBlock("lstm2", BiLstmEncoder.lstm(hidden / 2));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray sequence = first.forward(store, new NDList(inputs.get(0)), training).head();
        NDArray last = second.forward(store, new NDList(sequence), training).head();
        return new NDList(last.get(LAST_STEP));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = inputShapes[0];
        first.initialize(manager, dataType, embedded);
        second.initialize(manager, dataType, new Shape(embedded.get(0), embedded.get(1), hidden));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), hidden / 2)};
    }
}
