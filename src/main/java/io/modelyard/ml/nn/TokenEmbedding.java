package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * Token index to vector: a (vocabulary, width) table initialised uniformly in ±0.05, as Keras does.
 *
 * <p>In training the table's gradient is sparse (COO: the rows the batch's tokens touched), not a dense table of
 * zeros with a few rows set: a batch of 64 texts touches a few hundred of the vocabulary's thousands of rows, and a
 * dense gradient costs passes over the whole table in the backward pass and again when it is zeroed. The
 * optimizer ({@code ml.train.StatefulOptimizer}) applies the same dense Adam, AdamW or SGD arithmetic to it.
 */
public final class TokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter table;
    private final int width;

    public TokenEmbedding(int vocabularySize, int width) {
        super(VERSION);
        this.width = width;
        table = addParameter(Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, width))
                .optInitializer(new UniformInitializer(0.05f))
                .build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.head();
        return Embedding.embedding(ids, store.getValue(table, ids.getDevice(), training),
                training ? SparseFormat.COO : SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {new Shape(ids.get(0), ids.get(1), width)};
    }
}
