package io.modelyard.storage.encryption;

import io.modelyard.storage.BlobStore;
import io.modelyard.storage.FileSystemBlobStore;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;

/** Encryption at rest over the filesystem store; the stored bytes are read from the files themselves. */
@QuarkusTest
class EncryptingFileSystemBlobStoreTest extends EncryptingBlobStoreContract {

    private static final FileSystemBlobStore FILES = new FileSystemBlobStore(Path.of("target/test-encrypted-blobs"),
            false);

    @Override
    protected BlobStore underlying() {
        return FILES;
    }

    @Override
    protected byte[] raw(String key) throws Exception {
        return Files.readAllBytes(FILES.pathOf(key));
    }

    @Override
    protected void replaceRaw(String key, byte[] content) throws Exception {
        Files.write(FILES.pathOf(key), content);
    }
}
