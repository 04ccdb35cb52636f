package io.modelyard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContractTest {

    @TempDir
    Path dir;

    private FileSystemBlobStore store;

    @BeforeEach
    void open() {
        store = new FileSystemBlobStore(dir, true);
    }

    @Override
    protected BlobStore store() {
        return store;
    }

    @Override
    protected void corrupt(String key, byte[] replacement) throws Exception {
        Files.write(store.pathOf(key), replacement);
    }

    @Override
    protected void assertNoIncompleteWrites() throws Exception {
        try (Stream<Path> parts = Files.list(dir.resolve(FileSystemBlobStore.TMP_DIR))) {
            assertEquals(0, parts.count(), "temporary files left behind");
        }
    }

    @Test
    void deletingTheLastBlobOfADatasetRemovesItsDirectories() {
        store.put(base + "ds_9/dsv_1/data.csv", new GeneratedStream(5, 1), 10);
        store.deleteByPrefix(base + "ds_9/");
        assertFalse(Files.exists(dir.resolve(base + "ds_9")));
    }
}
