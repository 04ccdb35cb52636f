package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * The linear text baseline: each vocabulary entry has one score per class, a text scores the mean of its
 * tokens' scores plus a bias. That is logistic regression on the text's term frequencies (normalised by its
 * length), with no hidden layer to overfit a small dataset. Input: token indexes (batch, length), 0 for padding.
 */
public final class LinearTextBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TokenEmbedding scores;
    private final Parameter bias;
    private final int outputs;

    public LinearTextBlock(int vocabularySize, int outputs) {
        super(VERSION);
        this.outputs = outputs;
        scores = addChildBlock("embedding", new TokenEmbedding(vocabularySize, outputs));
        bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outputs))
                .optInitializer(Initializer.ZEROS)
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = ids.neq(0).toType(DataType.FLOAT32, false);
        NDArray perToken = scores.forward(store, new NDList(ids), training).head();
        NDArray mean = MeanPoolEncoder.maskedMean(perToken, mask);
        return new NDList(mean.add(store.getValue(bias, ids.getDevice(), training)));
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        scores.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }
}
