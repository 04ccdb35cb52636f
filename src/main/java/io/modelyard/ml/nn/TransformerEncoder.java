package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Transformer encoder: token vectors plus learned position vectors, pre-norm layers with attention
 * restricted to real tokens, a final LayerNorm and the mean over real tokens.
 */
public final class TransformerEncoder extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Added to attention scores of padding keys: softmax gives them no weight. */
    private static final float PADDING_PENALTY = 1e9f;

    private final Parameter positions;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    public TransformerEncoder(int maxLength, int width, int heads, int feedForward, int layerCount,
            float dropoutRate) {
        super(VERSION);
        positions = addParameter(Parameter.builder()
                .setName("positions")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLength, width))
                .optInitializer(new NormalInitializer(0.02f))
                .build());
        for (int l = 0; l < layerCount; l++) {
            layers.add(addChildBlock("layer" + l, new TransformerLayer(width, heads, feedForward, dropoutRate)));
        }
        finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray embedded = inputs.get(0);
        NDArray mask = inputs.get(1);
        long batch = embedded.getShape().get(0);
        long length = embedded.getShape().get(1);
        NDArray positionIds = embedded.getManager().arange((int) length);
        NDArray table = store.getValue(positions, embedded.getDevice(), training);
        NDArray x = embedded.add(Embedding.embedding(positionIds, table, SparseFormat.DENSE).head());
        NDArray keyMask = mask.sub(1f).mul(PADDING_PENALTY).reshape(batch, 1, 1, length);
        for (TransformerLayer layer : layers) {
            x = layer.forward(store, new NDList(x, keyMask), training).head();
        }
        x = finalNorm.forward(store, new NDList(x), training).head();
        return new NDList(MeanPoolEncoder.maskedMean(x, mask));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = inputShapes[0];
        Shape keyMask = new Shape(embedded.get(0), 1, 1, embedded.get(1));
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, embedded, keyMask);
        }
        finalNorm.initialize(manager, dataType, embedded);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape embedded = inputShapes[0];
        return new Shape[] {new Shape(embedded.get(0), embedded.get(2))};
    }
}
