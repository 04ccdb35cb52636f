package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStoreException;

/**
 * The tenant's data key was destroyed (the tenant was erased): its encrypted blobs can never be read again, and
 * nothing more is written for it.
 */
public class DataKeyDestroyedException extends BlobStoreException {

    private final String tenantId;

    /**
     * @param key the blob that was to be read, or null for a write
     */
    public DataKeyDestroyedException(String tenantId, String key) {
        super("The data key of tenant " + tenantId + " was destroyed: "
                + (key == null ? "nothing more is written for it" : "blob " + key + " can no longer be read"));
        this.tenantId = tenantId;
    }

    public String tenantId() {
        return tenantId;
    }

    /** Not an outage: the data is gone on purpose. */
    @Override
    public String problemType() {
        return null;
    }
}
