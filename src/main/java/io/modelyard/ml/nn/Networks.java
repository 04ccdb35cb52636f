package io.modelyard.ml.nn;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.modelyard.ml.ModelShape;
import io.modelyard.ml.vision.VisionNetworks;
import io.modelyard.model.spec.Architecture;
import io.modelyard.training.engine.Hyperparameters;

/** Builds the network of an architecture, and the input shapes it is initialised with. */
public final class Networks {

    private Networks() {
    }

    public static Block build(ModelShape shape) {
        Hyperparameters h = shape.hyperparameters();
        float dropout = (float) h.dropout();
        if (shape.architecture().isImage()) {
            return image(shape, h, dropout);
        }
        if (!readsText(shape)) {
            // linear on features: an MLP without hidden layers, i.e. logistic or linear regression
            int layers = shape.architecture() == Architecture.LINEAR ? 0 : h.layers();
            return mlp(h.hiddenSize(), layers, dropout, shape.outputs());
        }
        if (shape.architecture() == Architecture.LINEAR) {
            return new LinearTextBlock(shape.inputSize(), shape.outputs());
        }
        if (shape.architecture() == Architecture.IMPORTED_ENCODER) {
            if (shape.encoder() == null) {
                throw new IllegalArgumentException("imported_encoder needs the encoder's TorchScript module");
            }
            return new ImportedEncoderBlock(shape.encoder(), dropout, shape.outputs());
        }
        Block encoder;
        switch (shape.architecture()) {
            case BAG_OF_EMBEDDINGS:
                encoder = new MeanPoolEncoder();
                break;
            case TEXT_CNN:
                encoder = new TextCnnEncoder(h.hiddenSize());
                break;
            case BILSTM:
                encoder = new BiLstmEncoder(h.hiddenSize(), h.layers(), dropout);
                break;
            case TRANSFORMER:
                encoder = new TransformerEncoder(h.maxSequenceLength(), h.embeddingSize(), h.heads(), h.hiddenSize(),
                        h.layers(), dropout);
                break;
            case LSTM_CLASSIC:
                encoder = new ClassicLstmEncoder(h.hiddenSize());
                break;
            default:
                throw new IllegalArgumentException("no network for " + shape.architecture());
        }
        return new TextClassifierBlock(shape.inputSize(), h.embeddingSize(), encoder, dropout, shape.outputs());
    }

    /** hidden_size is the first stage's channels: 32 for VGG's and 64 for ResNet's published widths. */
    private static Block image(ModelShape shape, Hyperparameters h, float dropout) {
        return switch (shape.architecture()) {
            case CNN_SMALL -> VisionNetworks.cnnSmall(shape.outputs(), dropout);
            case VGG -> VisionNetworks.vgg(shape.outputs(), dropout, h.hiddenSize() / 32f);
            case RESNET -> VisionNetworks.resnet(h.layers() == 34 ? VisionNetworks.ResNetDepth.RESNET_34
                    : VisionNetworks.ResNetDepth.RESNET_18, shape.inputSize(), shape.outputs(), dropout,
                    h.hiddenSize() / 64f);
            default -> throw new IllegalArgumentException("no image network " + shape.architecture());
        };
    }

    private static Block mlp(int hidden, int layers, float dropout, int outputs) {
        SequentialBlock block = new SequentialBlock();
        for (int l = 0; l < layers; l++) {
            block.add(Linear.builder().setUnits(hidden).build())
                    .add(Activation.reluBlock())
                    .add(Dropout.builder().optRate(dropout).build());
        }
        return block.add(Linear.builder().setUnits(outputs).build());
    }

    /** Shapes to initialise parameters with (a batch of one; lengths do not change any parameter's shape). */
    public static Shape[] initialShapes(ModelShape shape) {
        if (shape.architecture().isImage()) {
            return new Shape[] {VisionNetworks.initialShape(shape.inputSize())};
        }
        if (!readsText(shape)) {
            return new Shape[] {new Shape(1, shape.inputSize())};
        }
        Shape ids = new Shape(1, TextCnnEncoder.WIDEST_KERNEL);
        return shape.architecture() == Architecture.BILSTM ? new Shape[] {ids, ids} : new Shape[] {ids};
    }

    /** The data type of each input, for the same arrays as {@link #initialShapes}. */
    public static DataType[] inputTypes(ModelShape shape) {
        if (!readsText(shape)) {
            return new DataType[] {DataType.FLOAT32};
        }
        return shape.architecture() == Architecture.BILSTM ? new DataType[] {DataType.INT32, DataType.INT64}
                : new DataType[] {DataType.INT32};
    }

    private static boolean readsText(ModelShape shape) {
        return shape.architecture().readsText(shape.task());
    }
}
