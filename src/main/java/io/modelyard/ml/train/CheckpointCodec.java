package io.modelyard.ml.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The bytes of a checkpoint: a zip of {@code state.json} (the run's position, early stopping, metrics history),
 * {@code weights.params} (current weights), {@code optimizer.bin} (the optimizer's buffers by parameter name) and
 * {@code best.params} (the best weights so far, once there are some).
 */
final class CheckpointCodec {

    static final int VERSION = 1;
    private static final String STATE = "state.json";
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String BEST = "best.params";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A decoded checkpoint. */
    record Decoded(RunState state, byte[] weights, byte[] optimizer) {
    }

    private CheckpointCodec() {
    }

    static byte[] encode(RunState state, byte[] weights, byte[] optimizer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weights.length * 4 + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            // weights are float noise to a compressor: storing them is as small and far faster
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.setComment("modelyard checkpoint v" + VERSION);
            put(zip, STATE, JSON.writeValueAsBytes(state.snapshot()));
            put(zip, WEIGHTS, weights);
            put(zip, OPTIMIZER, optimizer);
            if (state.bestWeights != null) {
                put(zip, BEST, state.bestWeights);
            }
        }
        return bytes.toByteArray();
    }

    static Decoded decode(byte[] checkpoint) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(checkpoint))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        if (!entries.containsKey(STATE) || !entries.containsKey(WEIGHTS) || !entries.containsKey(OPTIMIZER)) {
            throw new IOException("not a checkpoint of this trainer");
        }
        RunState.Snapshot snapshot = JSON.readValue(entries.get(STATE), RunState.Snapshot.class);
        return new Decoded(RunState.of(snapshot, entries.get(BEST)), entries.get(WEIGHTS), entries.get(OPTIMIZER));
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
