package io.modelyard.ml.serve;

import ai.djl.MalformedModelException;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelLoadException;
import io.modelyard.serving.engine.ModelRuntime;
import java.io.IOException;

/** The DJL/PyTorch {@link ModelRuntime}, registered in {@code META-INF/services}. */
public final class DjlModelRuntime implements ModelRuntime {

    @Override
    public LoadedModel load(byte[] artifact, LoadOptions options) {
        return open(artifact, options.predictors());
    }

    /** As {@link #load}, typed for the trainer's evaluation. */
    public static DjlLoadedModel open(byte[] artifact, int predictors) {
        try {
            return new DjlLoadedModel(ModelArtifact.read(artifact), predictors);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new ModelLoadException("cannot load model artifact: " + e.getMessage(), e);
        }
    }
}
