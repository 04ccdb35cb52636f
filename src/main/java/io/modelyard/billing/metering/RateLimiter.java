package io.modelyard.billing.metering;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.ledger.HeldConnection;
import io.modelyard.billing.plans.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Token buckets per tenant and per API key (or person), shared by every API process through PostgreSQL
 * ({@code rate_take}, V50, on the {@link BillingThread}): a request takes one token from its key's bucket and its tenant's bucket, or from
 * neither. A process takes tokens in small blocks — about {@code rate-block} of its own recent demand, at most a
 * fiftieth of the smaller burst — and spends them from memory, prefetching the next block before it runs out, so
 * the request path rarely waits; unspent tokens are dropped soon after. Since tokens are only ever created at the
 * plan's rate, the fleet admits the plan's rate whatever the number of replicas, less at most one small block per
 * process. When both buckets are empty the refusal is remembered until the next token is due, so a client
 * hammering a limit costs one query per token, not one per request.
 */
@ApplicationScoped
class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    private static final double MAX_BLOCK_SHARE = 0.02;

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

    private final BillingThread thread;
    private final long blockNanos;
    private final Cache<String, Pool> pools = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(1_000_000).build();

    RateLimiter(BillingThread thread, BillingConfig config) {
        this.thread = thread;
        this.blockNanos = config.rateBlock().toNanos();
    }

    /**
     * Takes a token for a request of {@code subject} ({@code k:<key id>} or {@code u:<person>}) in the tenant.
     * Completes at once when this process holds tokens, else after one round trip.
     */
    CompletionStage<Decision> acquire(String tenantId, String subject, Plan.RateLimits limits) {
        Pool pool = pools.get(tenantId + "|" + subject, k -> new Pool("t:" + tenantId, subject));
        synchronized (pool) {
            pool.observe(System.nanoTime());
        }
        return acquire(pool, limits);
    }

    /**
     * From the tokens held here, else after a take; loops until it gets a token or the buckets are known empty
     * (every take either hands out tokens or says when the next one is due).
     */
    private CompletionStage<Decision> acquire(Pool pool, Plan.RateLimits limits) {
        long now = System.nanoTime();
        CompletableFuture<Void> waitFor;
        synchronized (pool) {
            if (pool.local > 0 && now - pool.localUntil < 0) {
                pool.local--;
                Decision allowed = pool.decision(true, now, limits);
                // Prefetch only where a block is a small share of the burst: with a tight limit, tokens taken
                // ahead would be tokens another key (or process) is refused.
                if (pool.local * 2 < pool.lastBlock && pool.taking == null && pool.rate > 1
                        && blockCap(limits) >= 2) {
                    startTake(pool, limits);
                }
                return CompletableFuture.completedFuture(allowed);
            }
            if (now - pool.refusedUntil < 0 && !pool.tokenDue(now, limits)) {
                return CompletableFuture.completedFuture(pool.decision(false, now, limits));
            }
            pool.waiting++;
            waitFor = pool.taking != null ? pool.taking : startTake(pool, limits);
        }
        return waitFor.thenCompose(v -> {
            synchronized (pool) {
                pool.waiting--;
            }
            return acquire(pool, limits);
        });
    }

    /** Under the pool's monitor: asks for a block on the rate thread, enough for everyone waiting. */
    private CompletableFuture<Void> startTake(Pool pool, Plan.RateLimits limits) {
        CompletableFuture<Void> taking = new CompletableFuture<>();
        pool.taking = taking;
        int cap = blockCap(limits);
        // everyone waiting now, or about rate-block of the demand seen here, at most a small share of the burst
        int want = (int) Math.max(Math.max(1, pool.waiting), Math.min(cap, Math.ceil(pool.rate * blockNanos / 1e9)));
        thread.execute(() -> {
            try {
                take(pool, limits, want);
            } catch (Exception e) {
                // Without the database the plan's rate cannot be shared: let the request through (metering and
                // quotas, which need the database too, decide whether it is served).
                LOG.warnf("Could not take rate-limit tokens: %s", e.getMessage());
                synchronized (pool) {
                    pool.local += Math.max(1, pool.waiting);
                    pool.localUntil = System.nanoTime() + 1_000_000_000L;
                }
            } finally {
                synchronized (pool) {
                    pool.taking = null;
                }
                taking.complete(null);
            }
        });
        return taking;
    }

    private static int blockCap(Plan.RateLimits limits) {
        return Math.max(1, (int) (Math.min(limits.keyBurst(), limits.tenantBurst()) * MAX_BLOCK_SHARE));
    }

    private void take(Pool pool, Plan.RateLimits limits, int want) throws SQLException {
        int taken;
        double tenantTokens;
        double keyTokens;
        HeldConnection connection = thread.connection();
        try (PreparedStatement statement = connection.get().prepareStatement(
                "select taken, tenant_tokens, key_tokens from rate_take(?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, pool.tenantBucket);
            statement.setDouble(2, limits.tenantRate().doubleValue());
            statement.setDouble(3, limits.tenantBurst());
            statement.setString(4, pool.keyBucket);
            statement.setDouble(5, limits.keyRate().doubleValue());
            statement.setDouble(6, limits.keyBurst());
            statement.setInt(7, want);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                taken = row.getInt(1);
                tenantTokens = row.getDouble(2);
                keyTokens = row.getDouble(3);
            }
        } catch (SQLException e) {
            connection.discard();
            throw e;
        }
        long now = System.nanoTime();
        synchronized (pool) {
            pool.tenantTokens = tenantTokens;
            pool.keyTokens = keyTokens;
            pool.stateAt = now;
            if (taken > 0) {
                pool.local += taken;
                pool.lastBlock = taken;
                pool.localUntil = now + Math.max(2 * blockNanos, 200_000_000L);
            }
            if (taken < want) {
                // The buckets are empty: whoever this block does not cover is refused until the next token is
                // due — a token bucket refuses, it does not queue.
                double tenantWait = Math.max(0, 1 - tenantTokens) / limits.tenantRate().doubleValue();
                double keyWait = Math.max(0, 1 - keyTokens) / limits.keyRate().doubleValue();
                pool.refusedUntil = now + (long) (Math.max(tenantWait, keyWait) * 1e9);
            } else {
                pool.refusedUntil = now;
            }
        }
    }

    /** Tokens this process holds for one key (or person) in one tenant, and what it last learned of both buckets. */
    private static final class Pool {
        final String tenantBucket;
        final String keyBucket;
        int local;
        int lastBlock = 1;
        long localUntil;
        long refusedUntil = System.nanoTime();
        double tenantTokens = Double.NaN;
        double keyTokens = Double.NaN;
        long stateAt;
        CompletableFuture<Void> taking;
        int waiting;
        double rate;
        long windowStart = System.nanoTime();
        int windowCount;

        Pool(String tenantBucket, String keyBucket) {
            this.tenantBucket = tenantBucket;
            this.keyBucket = keyBucket;
        }

        void observe(long now) {
            long elapsed = now - windowStart;
            if (elapsed >= 100_000_000L) {
                double windowRate = windowCount / (elapsed / 1e9);
                rate = rate == 0 ? windowRate : 0.7 * rate + 0.3 * windowRate;
                windowStart = now;
                windowCount = 0;
            }
            windowCount++;
        }

        /**
         * Whether, by {@code limits}, both buckets as last seen hold a token by now. Under the limits the refusal was
         * remembered with, that is exactly when it ends; under a plan that has just changed (a higher rate) the
         * refusal no longer stands and the request takes again.
         */
        boolean tokenDue(long now, Plan.RateLimits limits) {
            if (Double.isNaN(tenantTokens) || Double.isNaN(keyTokens)) {
                return true;
            }
            double elapsed = (now - stateAt) / 1e9;
            return Math.min(limits.tenantBurst(), tenantTokens + elapsed * limits.tenantRate().doubleValue()) >= 1
                    && Math.min(limits.keyBurst(), keyTokens + elapsed * limits.keyRate().doubleValue()) >= 1;
        }

        /** Headers from the buckets as last seen, refilled to now, plus the tokens held here. */
        Decision decision(boolean allowed, long now, Plan.RateLimits limits) {
            double elapsed = (now - stateAt) / 1e9;
            double tenantRate = limits.tenantRate().doubleValue();
            double keyRate = limits.keyRate().doubleValue();
            double tenant = Double.isNaN(tenantTokens) ? limits.tenantBurst()
                    : Math.min(limits.tenantBurst(), tenantTokens + elapsed * tenantRate) + local;
            double key = Double.isNaN(keyTokens) ? limits.keyBurst()
                    : Math.min(limits.keyBurst(), keyTokens + elapsed * keyRate) + local;
            boolean tenantBinds = tenant / limits.tenantBurst() < key / limits.keyBurst();
            double tokens = tenantBinds ? tenant : key;
            int burst = tenantBinds ? limits.tenantBurst() : limits.keyBurst();
            double rate = tenantBinds ? tenantRate : keyRate;
            long reset = (long) Math.ceil(Math.max(0, burst - tokens) / rate);
            long retryAfter = 0;
            if (!allowed) {
                retryAfter = Math.max(1, (long) Math.ceil(Math.max((1 - tenant) / tenantRate, (1 - key) / keyRate)));
            }
            return new Decision(allowed, burst, (int) Math.max(0, Math.floor(tokens)), reset, retryAfter);
        }
    }
}
