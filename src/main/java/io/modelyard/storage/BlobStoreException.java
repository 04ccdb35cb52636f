package io.modelyard.storage;

import io.modelyard.common.DependencyFailure;

/**
 * A storage failure the caller cannot fix (I/O error, unreachable S3 endpoint): an outage of the blob store, so
 * the API answers 503 {@code storage-unavailable} with Retry-After. Subclasses that are not outages (a missing
 * blob, a digest mismatch) say so by naming no problem type.
 */
public class BlobStoreException extends RuntimeException implements DependencyFailure {

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public BlobStoreException(String message) {
        super(message);
    }

    @Override
    public String problemType() {
        return "storage-unavailable";
    }
}
