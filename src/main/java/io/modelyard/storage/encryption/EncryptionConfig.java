package io.modelyard.storage.encryption;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Encryption at rest of tenants' blobs. Keys under {@code modelyard.encryption}; documented in the README. */
@ConfigMapping(prefix = "modelyard.encryption")
public interface EncryptionConfig {

    /**
     * Encrypt new blobs under {@code tenants/}. Turning it off stops encrypting new writes only: blobs already
     * encrypted still need the master key to be read.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * A Tink keyset (JSON) of AES256_GCM keys: its primary wraps new data keys, every key in it unwraps. Required
     * in production; development and tests generate one next to the blob directory when absent.
     */
    Optional<String> masterKeyFile();

    /** How long an unwrapped data key stays in memory; destroying one evicts it everywhere at once anyway. */
    @WithDefault("10m")
    Duration keyCacheTtl();

    /** Most unwrapped data keys held in memory (one per tenant recently read or written). */
    @WithDefault("10000")
    int keyCacheSize();

    /**
     * Small segments encrypted and decrypted at start, in the background, so that the JIT compiles the cipher onto
     * the CPU's AES instructions before tenants' data needs it ({@code CipherWarmUp}); 0 leaves it cold.
     */
    @WithDefault("5000")
    int warmUpSegments();

    /** How long after start the warm-up begins (start-up's own work goes first). */
    @WithDefault("5s")
    Duration warmUpDelay();
}
