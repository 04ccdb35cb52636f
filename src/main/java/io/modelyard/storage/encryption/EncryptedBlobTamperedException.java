package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobIntegrityException;

/**
 * An encrypted blob does not authenticate under its tenant's data key and its own blob key: it was altered at rest,
 * or copied from another key. Thrown by the read that meets the bad segment.
 */
public class EncryptedBlobTamperedException extends BlobIntegrityException {

    public EncryptedBlobTamperedException(String key, Throwable cause) {
        super(key, "Encrypted blob " + key + " does not authenticate: it was altered or copied from another key",
                cause);
    }
}
