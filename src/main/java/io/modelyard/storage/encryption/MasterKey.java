package io.modelyard.storage.encryption;

/**
 * Wraps and unwraps tenants' data keys: the one secret that the database's wrapped keys are useless without. The
 * default reads a Tink keyset file ({@link KeysetFileMasterKey}); a cloud KMS would implement the same three
 * methods.
 */
public interface MasterKey {

    /** Identifies the key that {@link #wrap} uses now; a data key wrapped under another one is due for rotation. */
    String currentKeyId();

    /** Encrypts {@code dataKey} with the current key, bound to {@code associatedData}. */
    byte[] wrap(byte[] dataKey, byte[] associatedData);

    /**
     * Decrypts what any key of this master key (current or older) wrapped.
     *
     * @throws java.security.GeneralSecurityException if no key of it wrapped this, or it was altered
     */
    byte[] unwrap(byte[] wrapped, byte[] associatedData) throws java.security.GeneralSecurityException;
}
