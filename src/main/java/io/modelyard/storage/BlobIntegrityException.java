package io.modelyard.storage;

/**
 * The content read back does not hash to the digest recorded when it was written: the blob was altered or
 * damaged at rest. Thrown by the stream's final {@code read} (the one that reaches the end).
 */
public class BlobIntegrityException extends BlobStoreException {

    private final String key;
    private final String expectedSha256;
    private final String actualSha256;

    public BlobIntegrityException(String key, String expectedSha256, String actualSha256) {
        super("Blob " + key + " is corrupted: expected SHA-256 " + expectedSha256 + " but read " + actualSha256);
        this.key = key;
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    /** For a failure found otherwise than by comparing digests (an encrypted blob that does not authenticate). */
    protected BlobIntegrityException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.expectedSha256 = null;
        this.actualSha256 = null;
    }

    public String key() {
        return key;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }

    /** Not an outage: the blob store answered, and what it holds is wrong. */
    @Override
    public String problemType() {
        return null;
    }
}
