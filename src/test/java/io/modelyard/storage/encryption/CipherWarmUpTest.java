package io.modelyard.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The warm-up runs the blob store's streaming cipher both ways, and every message comes back as it went in. */
class CipherWarmUpTest {

    @Test
    void everyWarmUpMessageRoundTrips() throws Exception {
        assertEquals(300, CipherWarmUp.run(300));
    }
}
