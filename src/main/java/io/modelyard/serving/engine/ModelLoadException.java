package io.modelyard.serving.engine;

/** The bytes are not an artifact this runtime can load (corrupt, or of an unknown format version). */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
