package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Every text network: token embedding, an encoder that turns (embeddings, padding mask[, reverse index]) into
 * one feature vector per text, dropout, and a linear head giving logits. Input: token indexes (batch, length)
 * with 0 for padding, plus the reverse index for BiLSTM.
 */
public final class TextClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TokenEmbedding embedding;
    private final Block encoder;
    private final Dropout dropout;
    private final Linear head;
    private final int outputs;

    public TextClassifierBlock(int vocabularySize, int embeddingSize, Block encoder, float dropoutRate, int outputs) {
        super(VERSION);
        this.outputs = outputs;
        embedding = addChildBlock("embedding", new TokenEmbedding(vocabularySize, embeddingSize));
        this.encoder = addChildBlock("encoder", encoder);
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray mask = ids.neq(0).toType(DataType.FLOAT32, false);
        NDArray embedded = embedding.forward(store, new NDList(ids), training).head();
        NDList encoderInput = new NDList(embedded, mask);
        if (inputs.size() > 1) {
            encoderInput.add(inputs.get(1));
        }
        NDList features = encoder.forward(store, encoderInput, training);
        return head.forward(store, dropout.forward(store, features, training), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        embedding.initialize(manager, dataType, ids);
        Shape[] encoderShapes = encoderShapes(inputShapes);
        encoder.initialize(manager, dataType, encoderShapes);
        Shape features = encoder.getOutputShapes(encoderShapes)[0];
        dropout.initialize(manager, dataType, features);
        head.initialize(manager, dataType, features);
    }

    private Shape[] encoderShapes(Shape[] inputShapes) {
        Shape embedded = embedding.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        return inputShapes.length > 1 ? new Shape[] {embedded, inputShapes[0], inputShapes[1]}
                : new Shape[] {embedded, inputShapes[0]};
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }
}
