package io.modelyard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreProducerTest {

    private static StorageConfig map(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(StorageConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(StorageConfig.class);
    }

    @Test
    void configKeysHaveTheDocumentedDefaults() {
        StorageConfig defaults = map(Map.of());
        assertEquals(StorageConfig.Type.FILESYSTEM, defaults.type());
        assertEquals("data/blobs", defaults.dir());
        assertTrue(defaults.fsync());
        assertTrue(defaults.s3().bucket().isEmpty());
        assertEquals("us-east-1", defaults.s3().region());
        assertEquals(8 * 1024 * 1024, defaults.s3().partSize());

        StorageConfig s3 = map(Map.of("modelyard.storage.type", "s3", "modelyard.storage.s3.bucket", "blobs",
                "modelyard.storage.s3.endpoint", "http://minio:9000", "modelyard.storage.s3.path-style", "true",
                "modelyard.storage.s3.region", "eu-west-1"));
        assertEquals(StorageConfig.Type.S3, s3.type());
        assertEquals("blobs", s3.s3().bucket().orElseThrow());
        assertEquals(java.net.URI.create("http://minio:9000"), s3.s3().endpoint().orElseThrow());
        assertTrue(s3.s3().pathStyle());
        assertEquals("eu-west-1", s3.s3().region());
    }

    @Test
    void filesystemStoreLivesUnderTheConfiguredDirectory(@TempDir Path dir) throws Exception {
        try (BlobStore store = BlobStoreProducer.create(
                new TestStorageConfig(StorageConfig.Type.FILESYSTEM, dir.toString(), null, null, false))) {
            assertInstanceOf(FileSystemBlobStore.class, store);
            store.put("tenants/ten_1/a.csv", new ByteArrayInputStream(new byte[] {1, 2}), 10);
            assertTrue(Files.exists(dir.resolve("tenants/ten_1/a.csv")));
        }
    }

    @Test
    void s3WithoutABucketIsAConfigurationError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BlobStoreProducer.create(
                new TestStorageConfig(StorageConfig.Type.S3, "unused", null, null, true)));
        assertTrue(e.getMessage().contains("modelyard.storage.s3.bucket"));
    }

    @Test
    void s3StoreFromConfigTalksToACustomEndpoint() throws Exception {
        String previousKey = System.getProperty("aws.accessKeyId");
        String previousSecret = System.getProperty("aws.secretAccessKey");
        try (S3ProxyFixture s3proxy = S3ProxyFixture.start()) {
            try (var client = s3proxy.client()) {
                client.createBucket(b -> b.bucket("configured"));
            }
            // The default credentials chain reads these, as it would read env vars or a pod identity.
            System.setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
            try (BlobStore store = BlobStoreProducer.create(new TestStorageConfig(
                    StorageConfig.Type.S3, "unused", "configured", s3proxy.endpoint(), true))) {
                assertInstanceOf(S3BlobStore.class, store);
                BlobInfo info = store.put("tenants/ten_1/b.csv", new ByteArrayInputStream(new byte[] {7}), 10);
                try (InputStream in = store.open(info.key(), info.sha256())) {
                    assertEquals(7, in.read());
                }
            }
        } finally {
            restore("aws.accessKeyId", previousKey);
            restore("aws.secretAccessKey", previousSecret);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
