package io.modelyard.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Kim's TextCNN: convolutions of widths 3, 4 and 5 over the token vectors, ReLU, max over the windows that lie
 * inside the text (a text shorter than a kernel keeps its single, padded window), concatenated.
 */
public final class TextCnnEncoder extends AbstractBlock {

    public static final int WIDEST_KERNEL = 5;
    private static final int[] KERNELS = {3, 4, WIDEST_KERNEL};
    private static final byte VERSION = 1;

    private final List<Conv1d> convolutions = new ArrayList<>();
    private final int filters;

    public TextCnnEncoder(int filters) {
        super(VERSION);
        this.filters = filters;
        for (int k : KERNELS) {
            convolutions.add(addChildBlock("conv" + k,
                    Conv1d.builder().setKernelShape(new Shape(k)).setFilters(filters).build()));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray embedded = inputs.get(0);
        NDArray mask = inputs.get(1);
        NDArray channelsFirst = embedded.transpose(0, 2, 1);
        NDArray lengths = mask.sum(new int[] {1}).expandDims(1);
        long length = embedded.getShape().get(1);
        NDManager manager = embedded.getManager();
        NDList pooled = new NDList(KERNELS.length);
        for (int i = 0; i < KERNELS.length; i++) {
            int k = KERNELS[i];
            NDArray activations = Activation.relu(
                    convolutions.get(i).forward(store, new NDList(channelsFirst), training).head());
            // window j covers tokens j..j+k-1; keep it when inside the text, or when it is the only window
            NDArray starts = manager.arange(0f, (float) (length - k + 1)).add(k);
            NDArray valid = starts.expandDims(0).lte(lengths.maximum((float) k))
                    .toType(DataType.FLOAT32, false).expandDims(1);
            pooled.add(activations.mul(valid).max(new int[] {2}));
        }
        return new NDList(NDArrays.concat(pooled, 1));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape embedded = inputShapes[0];
        Shape channelsFirst = new Shape(embedded.get(0), embedded.get(2), Math.max(WIDEST_KERNEL, embedded.get(1)));
        for (Conv1d convolution : convolutions) {
            convolution.initialize(manager, dataType, channelsFirst);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) filters * KERNELS.length)};
    }
}
