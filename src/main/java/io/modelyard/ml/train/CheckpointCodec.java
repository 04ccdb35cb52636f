package io.modelyard.ml.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.ml.ZipBytes;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of a checkpoint: a zip of {@code state.json} (the run's position, early stopping, metrics history),
 * {@code weights.params} (current weights), {@code optimizer.bin} (the optimizer's buffers by parameter name) and
 * {@code best.params} (the best weights so far, once there are some) — or, when the best are the current weights
 * (the epoch just saved improved), the empty {@code best.is-current} instead of a second copy of them.
 */
final class CheckpointCodec {

    private static final String STATE = "state.json";
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String BEST = "best.params";
    private static final String BEST_IS_CURRENT = "best.is-current";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A decoded checkpoint. */
    record Decoded(RunState state, byte[] weights, byte[] optimizer) {
    }

    private CheckpointCodec() {
    }

    static byte[] encode(RunState state, byte[] weights, byte[] optimizer) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(STATE, JSON.writeValueAsBytes(state.snapshot()));
        entries.put(WEIGHTS, weights);
        entries.put(OPTIMIZER, optimizer);
        if (state.bestWeights == weights) {
            entries.put(BEST_IS_CURRENT, new byte[0]);
        } else if (state.bestWeights != null) {
            entries.put(BEST, state.bestWeights);
        }
        return ZipBytes.write(entries);
    }

    static Decoded decode(byte[] checkpoint) throws IOException {
        Map<String, byte[]> entries = ZipBytes.read(checkpoint);
        if (!entries.containsKey(STATE) || !entries.containsKey(WEIGHTS) || !entries.containsKey(OPTIMIZER)) {
            throw new IOException("not a checkpoint of this trainer");
        }
        RunState.Snapshot snapshot = JSON.readValue(entries.get(STATE), RunState.Snapshot.class);
        byte[] best = entries.containsKey(BEST_IS_CURRENT) ? entries.get(WEIGHTS) : entries.get(BEST);
        return new Decoded(RunState.of(snapshot, best), entries.get(WEIGHTS), entries.get(OPTIMIZER));
    }
}
