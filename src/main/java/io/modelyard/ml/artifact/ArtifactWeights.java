package io.modelyard.ml.artifact;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.modelyard.ml.ModelShape;
import io.modelyard.ml.nn.Networks;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/** Builds an artifact's network and fills it with the artifact's weights, 32-bit or quantized. */
public final class ArtifactWeights {

    private ArtifactWeights() {
    }

    /** The shape the artifact describes: its manifest, and an imported encoder's module. */
    public static ModelShape shape(ModelArtifact artifact) {
        ArtifactManifest manifest = artifact.manifest();
        return new ModelShape(manifest.task(), manifest.architecture(), manifest.hyperparameters(),
                manifest.inputSize(), manifest.labels().size(), artifact.entries().get(ModelArtifact.ENCODER_ENTRY));
    }

    /** A new network of the artifact's shape with its weights, its arrays in {@code manager}. */
    public static Block load(ModelArtifact artifact, NDManager manager) throws IOException, MalformedModelException {
        ModelShape shape = shape(artifact);
        Block block = Networks.build(shape);
        if (artifact.quantizedWeights() != null) {
            block.initialize(manager, DataType.FLOAT32, Networks.initialShapes(shape));
            QuantizedWeights.load(block, artifact.quantizedWeights());
        } else {
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(artifact.weights())));
        }
        return block;
    }
}
