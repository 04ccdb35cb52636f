package io.modelyard.storage.encryption;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.modelyard.audit.AuditLog;
import io.modelyard.common.CommitNotifications;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.FileSystemBlobStore;
import io.modelyard.tenant.TenantAdministration;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Master key rotation: a keyset with a new primary re-wraps every data key without touching a blob, the blobs
 * stay readable, and the rotation is repeatable. The test rotates the test database's keys to a new master key and
 * back, so the rest of the suite keeps its master key.
 */
@QuarkusTest
class MasterKeyRotationTest {

    private static final Path GENERATED = Path.of("target").toAbsolutePath().resolve(MasterKeyProducer.GENERATED_FILE);

    @Inject
    TenantDataKeys keys;

    @Inject
    TenantDataKeyRepository repository;

    @Inject
    MasterKey masterKey;

    @Inject
    TenantContext context;

    @Inject
    TenantAdministration tenants;

    @Inject
    AuditLog audit;

    @Inject
    CommitNotifications notifications;

    @Inject
    EncryptionConfig config;

    @Inject
    TenantScope tenantScope;

    @Test
    void rotationRewrapsDataKeysAndEverythingStaysReadable() throws Exception {
        FileSystemBlobStore files = new FileSystemBlobStore(Path.of("target/test-encrypted-blobs"), false);
        EncryptingBlobStore store = new EncryptingBlobStore(files, keys, true);
        String tenant = "ten_" + UUID.randomUUID().toString().replace("-", "");
        byte[] content = "text,label\nkeep me readable,a\n".getBytes(StandardCharsets.UTF_8);
        BlobInfo info = store.put("tenants/" + tenant + "/datasets/ds_1/raw.csv", new ByteArrayInputStream(content),
                1000);
        StoredDataKey before = repository.find(tenant).orElseThrow();
        assertEquals(masterKey.currentKeyId(), before.masterKeyId());
        byte[] storedBlob = Files.readAllBytes(files.pathOf(info.key()));

        KeysetHandle original = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(GENERATED),
                InsecureSecretKeyAccess.get());
        KeysetHandle withNewPrimary = KeysetHandle.newBuilder(original)
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId()
                        .makePrimary())
                .build();
        MasterKey rotated = masterKeyFile("rotated", withNewPrimary);
        try {
            MasterKeyRotation.Result result = rotate(rotated);
            assertTrue(result.rewrapped() >= 1, "at least this tenant's key was re-wrapped");
            assertEquals(rotated.currentKeyId(), result.masterKeyId());
            StoredDataKey after = repository.find(tenant).orElseThrow();
            assertEquals(rotated.currentKeyId(), after.masterKeyId());
            assertFalse(java.util.Arrays.equals(before.wrappedKey(), after.wrappedKey()), "wrapped bytes changed");
            assertArrayEquals(storedBlob, Files.readAllBytes(files.pathOf(info.key())), "no blob re-encrypted");
            assertEquals(0, rotate(rotated).rewrapped(), "nothing left to re-wrap");

            TenantDataKeys underRotated = new TenantDataKeys(repository, rotated, context, notifications, config);
            try (InputStream in = new EncryptingBlobStore(files, underRotated, true).open(info.key(), info.sha256())) {
                assertArrayEquals(content, in.readAllBytes());
            }
        } finally {
            // Back under the original primary, which the rest of the suite's processes hold.
            KeysetHandle.Builder back = KeysetHandle.newBuilder(withNewPrimary);
            for (int i = 0; i < original.size(); i++) {
                if (original.getAt(i).isPrimary()) {
                    back.getAt(i).makePrimary();
                }
            }
            MasterKey restored = masterKeyFile("restored", back.build());
            assertEquals(masterKey.currentKeyId(), restored.currentKeyId());
            assertTrue(rotate(restored).rewrapped() >= 1);
        }
        keys.forget(tenant);
        try (InputStream in = store.open(info.key(), info.sha256())) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertNotEquals(before.masterKeyId(), rotated.currentKeyId());
    }

    @Test
    void onlyOperatorsRotateOverHttp() {
        Keycloak.operator().api().post("/v1/admin/encryption/rotate").then().statusCode(200)
                .body("object", equalTo("master_key_rotation")).body("rewrapped", greaterThanOrEqualTo(0))
                .body("master_key_id", equalTo(masterKey.currentKeyId()));
        TestTenant tenant = TestTenant.signUp("Not an operator");
        tenant.owner().api(tenant.id()).post("/v1/admin/encryption/rotate").then().statusCode(403);
    }

    private MasterKeyRotation.Result rotate(MasterKey to) {
        // Made by hand, so without its interceptors: the test opens the transaction the bean would.
        MasterKeyRotation rotation = new MasterKeyRotation(repository, to, context, tenants, audit);
        return tenantScope.callAsPlatform("test rotation",
                () -> QuarkusTransaction.requiringNew().call(rotation::rotate));
    }

    private static MasterKey masterKeyFile(String name, KeysetHandle keyset) throws Exception {
        Path file = Path.of("target", "master-key-" + name + "-" + UUID.randomUUID() + ".json");
        Files.writeString(file, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
        try {
            return KeysetFileMasterKey.read(file);
        } finally {
            Files.delete(file); // read into memory; no key material left lying around
        }
    }
}
