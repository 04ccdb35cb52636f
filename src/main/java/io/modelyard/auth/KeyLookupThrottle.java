package io.modelyard.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Bounds the database look-ups of unknown keys per source address, so that guessing keys (or a client stuck
 * with a wrong one) cannot turn into a query storm: a token bucket per address, in this instance's memory.
 */
@ApplicationScoped
class KeyLookupThrottle {

    private final double rate;
    private final int burst;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    KeyLookupThrottle(ApiKeyConfig config) {
        this.rate = config.lookupsPerSecondPerAddress();
        this.burst = Math.max(1, config.lookupBurstPerAddress());
    }

    /** Takes one look-up for {@code address}; false when its bucket is empty. */
    boolean tryAcquire(String address) {
        Bucket bucket = buckets.get(address == null ? "unknown" : address, a -> new Bucket(burst));
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
            bucket.refilledAt = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /** Whole seconds until {@code address} may look up again. */
    long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / rate));
    }

    private static final class Bucket {
        double tokens;
        long refilledAt = System.nanoTime();

        Bucket(int tokens) {
            this.tokens = tokens;
        }
    }
}
