package io.modelyard.billing.ledger;

import io.modelyard.billing.Usage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Usage for the ledger {@link UsageWriter}: what one request (or one storage sample) caused, appended together.
 * Hard-quota usage carries the lease it was admitted under.
 *
 * @param at when it happened (the events' {@code occurred_at})
 */
public record Append(String tenantId, Origin origin, Instant at, List<Entry> entries,
        CompletableFuture<Result> result) {

    /** One usage event, and the lease that admitted it (null when no hard quota applies). */
    public record Entry(Usage usage, String leaseId) {
    }

    /** What became of it. */
    public enum Result {
        /** In the ledger (or found there already: an idempotency key recorded before adds nothing). */
        WRITTEN,
        /** Not written: a lease it was admitted under was reclaimed (its process was presumed dead). */
        LEASE_LOST
    }

    public static Append of(String tenantId, Origin origin, Instant at, List<Entry> entries) {
        return new Append(tenantId, origin, at, entries, new CompletableFuture<>());
    }
}
