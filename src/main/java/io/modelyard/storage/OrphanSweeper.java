package io.modelyard.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Deletes blobs that no database row references and that are older than a grace period, plus leftovers of
 * writes whose process died. The grace period protects blobs of an upload still in flight (written, not yet
 * recorded). Plain class: the caller schedules it and supplies {@code referenced} from its tables.
 */
public final class OrphanSweeper {

    private final BlobStore store;
    private final Clock clock;

    public OrphanSweeper(BlobStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Sweeps keys under {@code prefix}.
     *
     * @param referenced true for a key some row points to (called once per candidate)
     */
    public Result sweep(String prefix, Predicate<String> referenced, Duration grace) {
        Instant cutoff = clock.instant().minus(grace);
        // Collect first: deleting while a listing is open can pull directories out from under it.
        List<BlobEntry> old;
        try (Stream<BlobEntry> entries = store.list(prefix)) {
            old = entries.filter(entry -> entry.lastModified().isBefore(cutoff)).toList();
        }
        long deleted = 0;
        long bytes = 0;
        for (BlobEntry entry : old) {
            if (!referenced.test(entry.key())) {
                store.delete(entry.key());
                deleted++;
                bytes += entry.size();
            }
        }
        int incomplete = store.abortIncompleteWrites(cutoff);
        return new Result(deleted, bytes, incomplete);
    }

    /** What one sweep removed. */
    public record Result(long deletedBlobs, long deletedBytes, int abortedIncompleteWrites) {
    }
}
