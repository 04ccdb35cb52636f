package io.modelyard.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time as the platform sees it, at the database's precision (microseconds), so what a create returns equals
 * what a later read returns. One bean, so that tests of time-dependent rules (billing periods) can move it.
 */
@ApplicationScoped
public class PlatformClock {

    private volatile Clock clock = Clock.systemUTC();

    public Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    public Clock clock() {
        return clock;
    }

    /** For tests only: pin or shift the platform's time. */
    public void use(Clock replacement) {
        this.clock = replacement;
    }
}
