package io.modelyard.ml.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CheckpointCodecTest {

    private static final byte[] CURRENT = filled(4096, 1);
    private static final byte[] EARLIER = filled(4096, 2);
    private static final byte[] OPTIMIZER = filled(64, 3);

    @Test
    void theBestWeightsRoundTripWhetherTheyAreTheCurrentOnesOrEarlierOnes() throws IOException {
        RunState state = new RunState();
        state.completedEpochs = 3;
        state.bestEpoch = 3;
        state.bestWeights = CURRENT;
        byte[] improved = CheckpointCodec.encode(state, CURRENT, OPTIMIZER);
        CheckpointCodec.Decoded decoded = CheckpointCodec.decode(improved);
        assertArrayEquals(CURRENT, decoded.weights());
        assertArrayEquals(CURRENT, decoded.state().bestWeights);
        assertEquals(3, decoded.state().completedEpochs);

        state.bestWeights = EARLIER;
        byte[] notImproved = CheckpointCodec.encode(state, CURRENT, OPTIMIZER);
        assertArrayEquals(EARLIER, CheckpointCodec.decode(notImproved).state().bestWeights);
        // An epoch that improved stores its weights once, not twice.
        assertTrue(improved.length < notImproved.length - CURRENT.length / 2, improved.length + " vs "
                + notImproved.length);

        state.bestWeights = null;
        assertNull(CheckpointCodec.decode(CheckpointCodec.encode(state, CURRENT, OPTIMIZER)).state().bestWeights);
    }

    private static byte[] filled(int size, int seed) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }
}
