package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm Transformer encoder layer: x + MultiHeadSelfAttention(LayerNorm(x)), then
 * x + FeedForward(LayerNorm(x)) with GELU. Inputs: values (batch, length, width) and an additive key mask
 * (batch, 1, 1, length) holding 0 for tokens and a large negative number for padding.
 */
final class TransformerLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LayerNorm attentionNorm;
    private final Linear projection;
    private final Linear output;
    private final LayerNorm feedForwardNorm;
    private final Linear expand;
    private final Linear contract;
    private final Dropout dropout;
    private final int width;
    private final int heads;
    private final int feedForward;

    TransformerLayer(int width, int heads, int feedForward, float dropoutRate) {
        super(VERSION);
        this.width = width;
        this.heads = heads;
        this.feedForward = feedForward;
        attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().axis(2).build());
        projection = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        output = addChildBlock("attention_out", Linear.builder().setUnits(width).build());
        feedForwardNorm = addChildBlock("ff_norm", LayerNorm.builder().axis(2).build());
        expand = addChildBlock("ff_expand", Linear.builder().setUnits(feedForward).build());
        contract = addChildBlock("ff_contract", Linear.builder().setUnits(width).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray keyMask = inputs.get(1);
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        long headWidth = width / heads;

        NDArray normed = attentionNorm.forward(store, new NDList(x), training).head();
        NDArray qkv = projection.forward(store, new NDList(normed), training).head()
                .reshape(batch, length, 3, heads, headWidth).transpose(2, 0, 3, 1, 4);
        NDArray scores = qkv.get(0).matMul(qkv.get(1).transpose(0, 1, 3, 2))
                .div((float) Math.sqrt(headWidth)).add(keyMask);
        NDArray attention = drop(store, scores.softmax(-1), training);
        NDArray context = attention.matMul(qkv.get(2)).transpose(0, 2, 1, 3).reshape(batch, length, width);
        x = x.add(drop(store, output.forward(store, new NDList(context), training).head(), training));

        NDArray hidden = feedForwardNorm.forward(store, new NDList(x), training).head();
        hidden = Activation.gelu(expand.forward(store, new NDList(hidden), training).head());
        hidden = contract.forward(store, new NDList(hidden), training).head();
        return new NDList(x.add(drop(store, hidden, training)));
    }

    private NDArray drop(ParameterStore store, NDArray values, boolean training) {
        return dropout.forward(store, new NDList(values), training).head();
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        attentionNorm.initialize(manager, dataType, x);
        projection.initialize(manager, dataType, x);
        output.initialize(manager, dataType, x);
        feedForwardNorm.initialize(manager, dataType, x);
        expand.initialize(manager, dataType, x);
        contract.initialize(manager, dataType, new Shape(x.get(0), x.get(1), feedForward));
        dropout.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
