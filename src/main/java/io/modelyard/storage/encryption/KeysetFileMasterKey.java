package io.modelyard.storage.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.UUID;

/**
 * The master key as a Tink keyset in a JSON file (a Kubernetes Secret mounted as a file in production). Tink
 * prefixes every ciphertext with the id of the key that made it, so after a new key becomes primary the older
 * ones still unwrap what they wrapped: rotation is adding a key, making it primary, and re-wrapping.
 */
public final class KeysetFileMasterKey implements MasterKey {

    private final Aead aead;
    private final String primaryKeyId;

    private KeysetFileMasterKey(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.primaryKeyId = "tink:" + Integer.toUnsignedString(keyset.getPrimary().getId());
    }

    /** Reads the keyset in {@code file}. */
    public static KeysetFileMasterKey read(Path file) {
        try {
            AeadConfig.register();
            String json = Files.readString(file, StandardCharsets.UTF_8);
            return new KeysetFileMasterKey(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the master key keyset " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file}, first creating it with a fresh AES256_GCM keyset when there is none (development and
     * tests). Created atomically, readable by the owner only; concurrent starts agree on the first one written.
     */
    public static KeysetFileMasterKey readOrGenerate(Path file) {
        if (!Files.exists(file)) {
            try {
                AeadConfig.register();
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
                Files.writeString(temp, TinkJsonProtoKeysetFormat.serializeKeyset(
                        KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get()));
                restrictToOwner(temp);
                try {
                    // A hard link appears atomically and never replaces: concurrent starts keep the first keyset.
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException e) {
                    // another process made it first
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("Cannot create a master key at " + file + ": " + e.getMessage(), e);
            }
        }
        return read(file);
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its own defaults apply
        }
    }

    @Override
    public String currentKeyId() {
        return primaryKeyId;
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] associatedData) {
        try {
            return aead.encrypt(dataKey, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap a data key", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
        return aead.decrypt(wrapped, associatedData);
    }
}
