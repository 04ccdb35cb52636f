package io.modelyard.training.engine;

import java.io.IOException;

/**
 * The images of an image task, by id (the {@code text} of an image {@link Example}): each the encoded file as
 * uploaded. Training reads each once, when the split is encoded.
 */
@FunctionalInterface
public interface ImageSource {

    /** No images: the source of text and tabular data. */
    ImageSource NONE = id -> {
        throw new IOException("this data has no images");
    };

    byte[] read(String imageId) throws IOException;
}
