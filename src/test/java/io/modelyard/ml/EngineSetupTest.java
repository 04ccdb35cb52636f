package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSetupTest extends EngineTests {

    @Test
    void startsPyTorchOfflineFromTheClassPath() {
        assertEquals("PyTorch", EngineSetup.engine().getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            NDArray sum = manager.create(new float[] {1, 2, 3}).sum();
            assertEquals(6f, sum.getFloat());
        }
    }

    @Test
    void readsTheResidentSetSize() {
        long rss = ProcessMemory.residentBytes();
        assertTrue(rss > 10L * 1024 * 1024, "a JVM holds more than 10 MiB, got " + rss);
    }
}
