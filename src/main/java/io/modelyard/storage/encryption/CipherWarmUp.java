package io.modelyard.storage.encryption;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * Brings the blob cipher to full speed before tenants' data needs it. The JDK runs AES-GCM on its AES and
 * carry-less-multiply instructions only from code C2 has compiled, and C2 compiles the cipher's path after some
 * thousands of calls — one per 64 KiB segment — so a fresh process would encrypt and decrypt its first tens
 * of megabytes at a small fraction of the speed (measured here: 5 MB took 58–90 ms, against 1.3–2.5 ms once
 * compiled). Shortly after start a background thread runs {@code modelyard.encryption.warm-up-segments} small
 * segments each way through the same streaming cipher the blob store uses, under a throwaway key: about two
 * seconds of one core, after which a process's first 50 MB each way take half the time
 * ({@code bench/cipher.sh}).
 */
@ApplicationScoped
class CipherWarmUp {

    private static final Logger LOG = Logger.getLogger(CipherWarmUp.class);
    private static final byte[] ASSOCIATED_DATA = "warm-up".getBytes(StandardCharsets.US_ASCII);

    private final EncryptionConfig config;

    CipherWarmUp(EncryptionConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled() || config.warmUpSegments() <= 0) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                // after start-up's own work, which a cold start (scale from zero) waits on
                Thread.sleep(config.warmUpDelay().toMillis());
                long started = System.nanoTime();
                run(config.warmUpSegments());
                LOG.infof("AES-GCM warmed up (%d segments each way) in %d ms", config.warmUpSegments(),
                        (System.nanoTime() - started) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                LOG.warnf(e, "The cipher warm-up failed; blobs are still encrypted, at first more slowly");
            }
        }, "cipher-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Encrypts and decrypts {@code segments} small one-segment messages; returns how many came back intact. */
    static int run(int segments) throws GeneralSecurityException, IOException {
        StreamingAeadConfig.register();
        StreamingAead aead = KeysetHandle.generateNew(EncryptedBlobFormat.dataKeyParameters())
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        // small: the compiler counts calls, and small messages make them cheaply
        byte[] message = new byte[256];
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(512);
        int intact = 0;
        for (int i = 0; i < segments; i++) {
            message[0] = (byte) i;
            ciphertext.reset();
            try (OutputStream out = aead.newEncryptingStream(ciphertext, ASSOCIATED_DATA)) {
                out.write(message);
            }
            try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(ciphertext.toByteArray()),
                    ASSOCIATED_DATA)) {
                if (Arrays.equals(in.readAllBytes(), message)) {
                    intact++;
                }
            }
        }
        return intact;
    }
}
