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
}
