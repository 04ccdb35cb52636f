package io.modelyard.training;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Compute a job has used: what earlier runs had recorded (at their last checkpoint), plus the wall time of this
 * run on its worker. A run that dies loses only what it had not yet checkpointed, so a job is never billed twice
 * for the same seconds.
 */
public final class ComputeClock {

    private final BigDecimal before;
    private final long startedNanos = System.nanoTime();
    private volatile boolean overran;

    public ComputeClock(BigDecimal before) {
        this.before = before == null ? BigDecimal.ZERO : before;
    }

    /** Seconds used so far, to the millisecond. */
    public BigDecimal total() {
        BigDecimal now = BigDecimal.valueOf(System.nanoTime() - startedNanos).movePointLeft(9);
        return before.add(now).setScale(3, RoundingMode.HALF_UP);
    }

    /** Whether the compute passed {@code limit} (remembered: the engine stops at its next batch). */
    public boolean passes(BigDecimal limit) {
        if (!overran && limit != null && total().compareTo(limit) > 0) {
            overran = true;
        }
        return overran;
    }

    /** Whether a {@link #passes} check found the limit passed. */
    public boolean overran() {
        return overran;
    }
}
