package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStoreException;

/**
 * A tenant's data key cannot be used: the master key configured here does not unwrap it (a wrong or incomplete
 * keyset file), or an encrypted blob names a data key the tenant does not have. A configuration failure of this
 * process, so it answers like a storage outage (503) rather than blaming the caller.
 */
public class DataKeyUnavailableException extends BlobStoreException {

    public DataKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DataKeyUnavailableException(String message) {
        super(message);
    }
}
