package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.concurrent.CompletableFuture;

/**
 * This process's standing on one tenant's hard quota of one meter in one period: the open lease (what it was
 * granted, what was admitted from it), or that the meter has no hard quota, or that the quota refused lately;
 * and the demand seen, which sizes the next block. Every method runs under the slot's monitor; the database work
 * is done by {@link QuotaLeases} outside it.
 */
final class LeaseSlot {

    /** What {@link #tryAdmit} found. */
    enum Outcome { ADMITTED, FREE, REFUSED, NEEDS_LEASE }

    final String tenantId;
    final Meter meter;
    final Period period;

    private String leaseId;
    private BigDecimal granted = BigDecimal.ZERO;
    private BigDecimal consumed = BigDecimal.ZERO;
    private long renewedAt;
    private long grantedAt;
    private long lastUsedAt = System.nanoTime();
    // "no hard quota" is remembered until freeUntil, and only while free is set: a caller's clock reading taken
    // before it waited for this slot's monitor can be older than any time stored here, so a time alone (such as
    // freeUntil = now after a hard grant) would still read as "free" to it
    private boolean free;
    private long freeUntil;
    private long refusedUntil;
    private QuotaExceeded refusal;
    private CompletableFuture<Void> taking;
    // advanced whenever what was learned of the quota goes stale (the plan changed): a take that began before
    // cannot then cache its possibly stale "no hard quota" or refusal
    private long generation;
    private long takingGeneration;
    // demand: an exponentially weighted rate over one-second windows, in units per second
    private double rate;
    private long windowStart = System.nanoTime();
    private BigDecimal windowSum = BigDecimal.ZERO;

    LeaseSlot(String tenantId, Meter meter, Period period) {
        this.tenantId = tenantId;
        this.meter = meter;
        this.period = period;
    }

    /**
     * Admits {@code quantity} from the open lease if it covers it (recording it as consumed), or says what is
     * needed instead. {@code found[0]} receives the lease id when admitted, the refusal when refused.
     */
    synchronized Outcome tryAdmit(BigDecimal quantity, long now, long validNanos, Object[] found) {
        lastUsedAt = now;
        if (free && now - freeUntil < 0) {
            return Outcome.FREE;
        }
        if (refusal != null && now - refusedUntil < 0) {
            found[0] = refusal;
            return Outcome.REFUSED;
        }
        if (leaseId != null && now - renewedAt < validNanos && granted.subtract(consumed).compareTo(quantity) >= 0) {
            consumed = consumed.add(quantity);
            found[0] = leaseId;
            observe(quantity, now);
            return Outcome.ADMITTED;
        }
        return Outcome.NEEDS_LEASE;
    }

    /** Gives back what a request admitted but did not use (it failed), if its lease is still this slot's. */
    synchronized void giveBack(String fromLease, BigDecimal quantity) {
        if (fromLease != null && fromLease.equals(leaseId)) {
            consumed = consumed.subtract(quantity).max(BigDecimal.ZERO);
        }
    }

    synchronized QuotaExceeded refusal() {
        return refusal;
    }

    /**
     * Starts a take unless one is in flight; returns the future to wait on and, when this call started it,
     * fills {@code plan} with what to ask: {lease id or null for a new one, need, want}.
     */
    synchronized CompletableFuture<Void> takeInFlight(BigDecimal quantity, long now, long validNanos,
            double blockSeconds, Object[] plan) {
        if (taking != null) {
            return taking;
        }
        boolean usable = leaseId != null && now - renewedAt < validNanos;
        if (!usable && leaseId != null) {
            // Not renewed for too long (the database was away): stop using it; the reclaimer settles it.
            leaseId = null;
            granted = BigDecimal.ZERO;
            consumed = BigDecimal.ZERO;
        }
        BigDecimal remaining = usable ? granted.subtract(consumed) : BigDecimal.ZERO;
        BigDecimal need = quantity.subtract(remaining).max(BigDecimal.ZERO);
        plan[0] = leaseId;
        plan[1] = need;
        plan[2] = want(need, now, blockSeconds);
        taking = new CompletableFuture<>();
        takingGeneration = generation;
        return taking;
    }

    /**
     * Whether a prefetch is due: less than half the last grant left, nothing in flight, and demand enough that
     * blocks hold more than one request (a small tenant takes exactly what each request needs, stranding none).
     */
    synchronized boolean prefetchDue(long now, long validNanos, double blockSeconds) {
        return taking == null && leaseId != null && now - renewedAt < validNanos && rate * blockSeconds >= 2
                && granted.subtract(consumed).multiply(BigDecimal.valueOf(2)).compareTo(lastBlock()) < 0;
    }

    /** Records a take's answer and ends it; returns the future to complete. */
    synchronized CompletableFuture<Void> taken(String askedLease, String newLease, LeaseStore.Grant grant,
            BigDecimal need, long now, long freeNanos, long refusedNanos) {
        CompletableFuture<Void> done = taking;
        taking = null;
        boolean stale = takingGeneration != generation;
        if (!grant.hard()) {
            // read before a plan change this slot has heard of: let the next admission ask again
            free = !stale;
            freeUntil = now + freeNanos;
            return done;
        }
        free = false;
        if (grant.leaseId() == null) {
            // The lease we extended was reclaimed: start over with a new one.
            if (askedLease != null && askedLease.equals(leaseId)) {
                leaseId = null;
                granted = BigDecimal.ZERO;
                consumed = BigDecimal.ZERO;
            }
            return done;
        }
        if (grant.granted().signum() == 0 && need.signum() > 0) {
            if (!stale) {
                refusal = new QuotaExceeded(tenantId, meter, grant.limit(), grant.taken(), need, period.end());
                refusedUntil = now + refusedNanos;
            }
            if (askedLease != null && askedLease.equals(leaseId)) {
                renewedAt = now;
            }
            return done;
        }
        refusal = null;
        if (askedLease == null) {
            leaseId = newLease;
            granted = grant.granted();
            consumed = BigDecimal.ZERO;
        } else if (askedLease.equals(leaseId)) {
            granted = granted.add(grant.granted());
        }
        renewedAt = now;
        grantedAt = now;
        return done;
    }

    /** A take failed (database unavailable): waiters fail with it. */
    synchronized CompletableFuture<Void> failed() {
        CompletableFuture<Void> done = taking;
        taking = null;
        return done;
    }

    /** Another process returned allowance, or the plan changed: refusals and "not hard" are stale. */
    synchronized void forgetRefusal() {
        generation++;
        refusal = null;
        refusedUntil = 0;
        free = false;
    }

    /** Detaches the open lease for returning it: {id, consumed}, or null. The slot starts afresh. */
    synchronized Object[] detach() {
        if (leaseId == null) {
            return null;
        }
        Object[] lease = {leaseId, consumed};
        leaseId = null;
        granted = BigDecimal.ZERO;
        consumed = BigDecimal.ZERO;
        return lease;
    }

    synchronized String openLease() {
        return leaseId;
    }

    /** The lease was found reclaimed on renewal: what is left of it is gone. */
    synchronized void lost(String id) {
        if (id.equals(leaseId)) {
            leaseId = null;
            granted = BigDecimal.ZERO;
            consumed = BigDecimal.ZERO;
        }
    }

    synchronized void renewed(String id, long now) {
        if (id.equals(leaseId)) {
            renewedAt = now;
        }
    }

    synchronized long lastUsedAt() {
        return lastUsedAt;
    }

    synchronized boolean idle() {
        return leaseId == null && taking == null;
    }

    private BigDecimal lastBlock() {
        return granted.max(BigDecimal.ONE);
    }

    /** At least {@code need}; otherwise about {@code blockSeconds} of the demand seen, whole units. */
    private BigDecimal want(BigDecimal need, long now, double blockSeconds) {
        double recent = 0;
        double sinceGrant = (now - grantedAt) / 1e9;
        if (leaseId != null && sinceGrant > 0.001) {
            recent = consumed.doubleValue() / sinceGrant;
        }
        double demand = Math.max(rate, recent) * blockSeconds;
        BigDecimal block = BigDecimal.valueOf(Math.ceil(demand)).setScale(0, RoundingMode.CEILING);
        return block.max(need).max(BigDecimal.ONE);
    }

    private void observe(BigDecimal quantity, long now) {
        long elapsed = now - windowStart;
        if (elapsed >= 1_000_000_000L) {
            double windowRate = windowSum.doubleValue() / (elapsed / 1e9);
            rate = rate == 0 ? windowRate : 0.5 * rate + 0.5 * windowRate;
            windowStart = now;
            windowSum = BigDecimal.ZERO;
        }
        windowSum = windowSum.add(quantity);
    }
}
