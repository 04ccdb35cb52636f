package io.modelyard.billing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Token buckets per API key and per tenant, in this instance's memory. A request takes one token from both its
 * key's bucket and its tenant's bucket, or from neither. With {@code modelyard.billing.rate-limit-instances}
 * = N each instance enforces 1/N of the plan's rate and burst, so that N instances behind an even balancer allow
 * about the plan's limit together (without it, up to N times the limit).
 */
@ApplicationScoped
class RateLimiter {

    /**
     * What the caller is told, about the bucket closest to refusing.
     *
     * @param limit      the bucket's capacity (the burst)
     * @param remaining  whole tokens left after this request
     * @param reset      seconds until the bucket is full again
     * @param retryAfter seconds until a refused request may succeed (0 when allowed)
     */
    record Decision(boolean allowed, int limit, int remaining, long reset, long retryAfter) {
    }

    private final Cache<String, TokenBucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(1_000_000).build();
    private final int instances;

    RateLimiter(BillingConfig config) {
        this.instances = Math.max(1, config.rateLimitInstances());
    }

    Decision acquire(String tenantId, String keyId, Plan.RateLimits limits) {
        double tenantRate = limits.tenantRate().doubleValue() / instances;
        int tenantBurst = Math.max(1, (int) Math.ceil((double) limits.tenantBurst() / instances));
        double keyRate = limits.keyRate().doubleValue() / instances;
        int keyBurst = Math.max(1, (int) Math.ceil((double) limits.keyBurst() / instances));
        TokenBucket tenant = buckets.get("t:" + tenantId, k -> new TokenBucket());
        TokenBucket key = buckets.get("k:" + keyId, k -> new TokenBucket());
        long now = System.nanoTime();
        // Always tenant first, then key: one lock order everywhere.
        synchronized (tenant) {
            synchronized (key) {
                tenant.refill(now, tenantRate, tenantBurst);
                key.refill(now, keyRate, keyBurst);
                boolean allowed = tenant.tokens >= 1 && key.tokens >= 1;
                if (allowed) {
                    tenant.tokens -= 1;
                    key.tokens -= 1;
                }
                boolean tenantBinds = tenant.tokens / tenantBurst < key.tokens / keyBurst;
                TokenBucket binding = tenantBinds ? tenant : key;
                double rate = tenantBinds ? tenantRate : keyRate;
                int burst = tenantBinds ? tenantBurst : keyBurst;
                long reset = (long) Math.ceil((burst - binding.tokens) / rate);
                long retryAfter = 0;
                if (!allowed) {
                    retryAfter = Math.max(tenant.secondsUntilOne(tenantRate), key.secondsUntilOne(keyRate));
                }
                return new Decision(allowed, burst, (int) Math.floor(binding.tokens), reset, retryAfter);
            }
        }
    }

    /** Not thread-safe by itself: used under its own monitor. */
    static final class TokenBucket {
        private double tokens = Double.NaN;
        private long refilledAt;

        void refill(long now, double rate, int burst) {
            if (Double.isNaN(tokens)) {
                tokens = burst;
            } else {
                tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * rate);
            }
            refilledAt = now;
        }

        long secondsUntilOne(double rate) {
            return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
