package io.modelyard.storage;

/** The blob a database row points to is not in the store. */
public class BlobNotFoundException extends BlobStoreException {

    private final String key;

    public BlobNotFoundException(String key) {
        super("No blob at key " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** Not an outage: the blob store answered, and what it holds is wrong. */
    @Override
    public String problemType() {
        return null;
    }
}
