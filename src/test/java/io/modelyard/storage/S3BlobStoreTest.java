package io.modelyard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against a real S3-protocol server (s3proxy) running in this JVM. */
class S3BlobStoreTest extends BlobStoreContractTest {

    private static final String BUCKET = "modelyard-test";
    private static S3ProxyFixture s3proxy;
    private static S3Client client;
    private static S3BlobStore store;

    @BeforeAll
    static void startS3() throws Exception {
        s3proxy = S3ProxyFixture.start();
        client = s3proxy.client();
        client.createBucket(b -> b.bucket(BUCKET));
        // The smallest part S3 allows, so the 20 MB test goes through several parts.
        store = new S3BlobStore(client, BUCKET, S3BlobStore.MIN_PART_SIZE, false);
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
    protected BlobStore store() {
        return store;
    }

    @Override
    protected void corrupt(String key, byte[] replacement) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(replacement));
    }

    @Override
    protected void assertNoIncompleteWrites() {
        assertEquals(0, client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size(),
                "incomplete multipart uploads left behind");
    }
}
