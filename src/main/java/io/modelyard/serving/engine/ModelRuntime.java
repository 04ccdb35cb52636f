package io.modelyard.serving.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Loads model artifacts (the zip a {@code ModelTrainer} produces) for prediction. The implementation lives in
 * {@code io.modelyard.ml} and is found with {@link #load()}, so that the API role never loads the deep learning
 * engine. Loading is slow (tens of milliseconds to seconds): cache the {@link LoadedModel}, never load per
 * request.
 */
public interface ModelRuntime {

    /**
     * Reads an artifact.
     *
     * @throws ModelLoadException when the bytes are not a model artifact this runtime can read
     */
    LoadedModel load(byte[] artifact, LoadOptions options);

    default LoadedModel load(byte[] artifact) {
        return load(artifact, LoadOptions.defaults());
    }

    default LoadedModel load(Path artifact, LoadOptions options) {
        try {
            return load(Files.readAllBytes(artifact), options);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + artifact + ": " + e.getMessage(), e);
        }
    }

    /** The implementation on the class path (one {@code META-INF/services} entry), loaded on first call. */
    static ModelRuntime load() {
        return ServiceLoader.load(ModelRuntime.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no ModelRuntime on the class path (META-INF/services/" + ModelRuntime.class.getName() + ")"));
    }
}
