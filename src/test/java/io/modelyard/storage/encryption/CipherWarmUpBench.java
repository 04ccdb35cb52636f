package io.modelyard.storage.encryption;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * For {@code bench/cipher.sh}: in a fresh JVM, optionally runs {@link CipherWarmUp} first, then encrypts and
 * decrypts {@code blobs} blobs of 5 MB through the blob store's streaming cipher, as a process's first checkpoints
 * or model loads would. Prints the warm-up's time and the blobs' total. Arguments: {@code warm-up-segments blobs}.
 */
public final class CipherWarmUpBench {

    private CipherWarmUpBench() {
    }

    public static void main(String[] args) throws Exception {
        int segments = Integer.parseInt(args[0]);
        int blobs = Integer.parseInt(args[1]);
        StreamingAeadConfig.register();
        long started = System.nanoTime();
        if (segments > 0 && CipherWarmUp.run(segments) != segments) {
            throw new IllegalStateException("the warm-up's messages did not come back intact");
        }
        long warmed = System.nanoTime();
        StreamingAead aead = KeysetHandle.generateNew(EncryptedBlobFormat.dataKeyParameters())
                .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        byte[] blob = new byte[5 * 1024 * 1024];
        byte[] associatedData = "tenants/ten_bench/blob".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < blobs; i++) {
            blob[i] = (byte) i;
            ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(blob.length + 4096);
            try (OutputStream out = aead.newEncryptingStream(ciphertext, associatedData)) {
                out.write(blob);
            }
            try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(ciphertext.toByteArray()),
                    associatedData)) {
                if (in.readAllBytes().length != blob.length) {
                    throw new IllegalStateException("a blob did not decrypt whole");
                }
            }
        }
        long done = System.nanoTime();
        System.out.printf("warm_up_ms=%.1f blobs_ms=%.1f%n", (warmed - started) / 1e6, (done - warmed) / 1e6);
    }
}
