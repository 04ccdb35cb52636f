package io.modelyard.storage;

import java.time.Instant;

/** One listed blob: what an orphan sweeper needs to decide whether to delete it. */
public record BlobEntry(String key, long size, Instant lastModified) {
}
