package io.modelyard.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of work for the {@link UsageWriter}: usage to record, capacity to hold, reservations to release —
 * all committed together or not at all, after the tenant's hard quotas were checked (when {@code checked}).
 *
 * @param checkDuplicates look up idempotency keys first, so that a replay neither counts against the quota nor
 *                        adds anything (server-generated keys are unique and skip this)
 */
record Charge(String tenantId, Origin origin, Instant at, List<Usage> usages, List<Hold> holds,
        List<String> releases, boolean checked, boolean checkDuplicates, CompletableFuture<Outcome> result) {

    /** Capacity held for a while (a request in flight, an estimated training job). */
    record Hold(String reservationId, String reference, Meter meter, BigDecimal quantity, Instant expiresAt) {
    }

    /** What came of a charge: accepted, or refused by a hard quota. */
    record Outcome(QuotaExceeded refusal) {

        static final Outcome ACCEPTED = new Outcome(null);

        boolean accepted() {
            return refusal == null;
        }
    }

    Period period() {
        return Period.of(at);
    }

    Charge withDuplicateCheck() {
        return new Charge(tenantId, origin, at, usages, holds, releases, checked, true, result);
    }
}
