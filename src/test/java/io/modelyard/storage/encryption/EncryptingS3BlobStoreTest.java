package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStore;
import io.modelyard.storage.S3BlobStore;
import io.modelyard.storage.S3ProxyFixture;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Encryption at rest over a real S3-protocol server (s3proxy in this JVM); stored bytes come straight from S3. */
@QuarkusTest
class EncryptingS3BlobStoreTest extends EncryptingBlobStoreContract {

    private static final String BUCKET = "modelyard-encrypted";
    private static S3ProxyFixture s3proxy;
    private static S3Client client;
    private static S3BlobStore s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3proxy = S3ProxyFixture.start();
        client = s3proxy.client();
        client.createBucket(b -> b.bucket(BUCKET));
        s3 = new S3BlobStore(client, BUCKET, S3BlobStore.MIN_PART_SIZE, false);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (client != null) {
            client.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    @Override
    protected BlobStore underlying() {
        return s3;
    }

    @Override
    protected byte[] raw(String key) {
        return client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    @Override
    protected void replaceRaw(String key, byte[] content) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }
}
