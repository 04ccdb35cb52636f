package io.modelyard.ml.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A tenant's TorchScript text encoder (int64 token indexes (batch, length), 0 for padding, in; one float vector
 * per text out) under a dropout and a linear head. The encoder is not a child block: it is neither trained nor
 * saved with the parameters (the artifact keeps its bytes apart), and it always runs in inference mode.
 */
public final class ImportedEncoderBlock extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final int PROBE_LENGTH = 8;

    private final byte[] module;
    private final Dropout dropout;
    private final Linear head;
    private final int outputs;
    private PtSymbolBlock encoder;
    private long width = -1;

    public ImportedEncoderBlock(byte[] module, float dropoutRate, int outputs) {
        super(VERSION);
        this.module = module;
        this.outputs = outputs;
        dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.get(0).toType(DataType.INT64, false);
        NDArray features = encoder.forward(store, new NDList(ids), false).head();
        return head.forward(store, dropout.forward(store, new NDList(features), training), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        load(manager);
        Shape features = new Shape(inputShapes[0].get(0), width);
        dropout.initialize(manager, dataType, features);
        head.initialize(manager, dataType, features);
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        load(manager);
        super.loadParameters(manager, is);
    }

    /** Loads the TorchScript module once and learns its output width from one probe batch. */
    private void load(NDManager manager) {
        if (encoder != null) {
            return;
        }
        try {
            encoder = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(module), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("the imported encoder does not load: " + e.getMessage(), e);
        }
        JniUtils.enableInferenceMode(encoder);
        try (NDManager probe = manager.newSubManager()) {
            NDArray ids = probe.ones(new Shape(1, PROBE_LENGTH), DataType.INT64);
            NDArray out = encoder.forward(new ParameterStore(probe, false), new NDList(ids), false).head();
            if (out.getShape().dimension() != 2) {
                throw new IllegalArgumentException("the imported encoder must return one vector per text (batch,"
                        + " width); it returned " + out.getShape());
            }
            width = out.getShape().get(1);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }
}
