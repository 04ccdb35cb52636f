package io.modelyard.ml;

import org.junit.jupiter.api.BeforeAll;

/**
 * Base of tests that start the engine. They run on a shared 2-core machine where other builds compete for the
 * cores; one intra-op thread avoids OpenMP's oversubscription (ten times slower there) unless the run sets
 * its own value.
 */
public abstract class EngineTests {

    @BeforeAll
    static void oneEngineThreadUnlessConfigured() {
        if (System.getProperty(EngineSetup.INTRA_OP_THREADS) == null && System.getenv("DJL_PYTORCH_NUM_THREADS") == null) {
            System.setProperty(EngineSetup.INTRA_OP_THREADS, "1");
        }
        if (System.getProperty(EngineSetup.INTER_OP_THREADS) == null) {
            System.setProperty(EngineSetup.INTER_OP_THREADS, "1");
        }
    }
}
