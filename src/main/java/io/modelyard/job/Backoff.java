package io.modelyard.job;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, the same rule the reaper applies in SQL (V20__jobs.sql). */
final class Backoff {

    private Backoff() {
    }

    /** The delay before the attempt after {@code failedAttempt}: base × 2^(attempt−1), capped, ±20 %. */
    static Duration after(int failedAttempt, Duration base, Duration max) {
        double seconds = Math.min(seconds(max), seconds(base) * Math.pow(2, Math.max(0, failedAttempt - 1)));
        double jittered = seconds * (0.8 + ThreadLocalRandom.current().nextDouble() * 0.4);
        return Duration.ofNanos((long) (jittered * 1_000_000_000L));
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
