package io.modelyard.storage;

/** A storage failure the caller cannot fix (I/O error, unreachable S3 endpoint): the API answers 500. */
public class BlobStoreException extends RuntimeException {

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public BlobStoreException(String message) {
        super(message);
    }
}
