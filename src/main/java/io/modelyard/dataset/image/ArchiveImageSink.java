package io.modelyard.dataset.image;

import java.io.IOException;

/**
 * Receives each decodable image while the archive is read, so the caller can store its bytes and forget
 * them. When the read ends in a refusal, images already accepted belong to a refused upload: the caller
 * deletes what it stored.
 */
@FunctionalInterface
public interface ArchiveImageSink {

    void accept(ArchiveImage image) throws IOException;

    /**
     * A file that starts like an image but does not decode, in archive order among the images. A dataset leaves
     * it out (it is listed in {@link ImageArchive#undecodable()}); a batch prediction refuses the archive, naming
     * it, rather than queue a job that would fail at that row.
     */
    default void undecodable(String path, byte[] bytes) throws IOException {
    }
}
