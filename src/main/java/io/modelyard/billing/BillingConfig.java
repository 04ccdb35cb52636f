package io.modelyard.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Metering, quotas and rate limits (README "Settings"). */
@ConfigMapping(prefix = "modelyard.billing")
public interface BillingConfig {

    /** When an answer may leave relative to the commit of the usage it caused. */
    enum Durability {
        /** After the batch holding its usage committed: nothing answered is ever lost. */
        DURABLE,
        /** At once; the batch commits within {@link #bufferedWindow()} (and on shutdown). A hard crash loses it. */
        BUFFERED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Meter every successful API request of a tenant's key or person (and what endpoints add to it). */
    @WithDefault("true")
    boolean meteringEnabled();

    /** Refuse what would exceed a hard quota. Off: usage is still metered, never refused. */
    @WithDefault("true")
    boolean quotasEnabled();

    /** Token buckets per API key or person and per tenant, shared by every API process. */
    @WithDefault("true")
    boolean rateLimitsEnabled();

    @WithDefault("durable")
    Durability durability();

    /** Buffered mode: the longest an answered request's usage waits in memory before its batch commits. */
    @WithDefault("20ms")
    Duration bufferedWindow();

    /** Ledger writer threads (each with its own connection and stream): two pipeline commits. */
    @WithDefault("2")
    int writerThreads();

    /** The most usage events one ledger transaction appends. */
    @WithDefault("5000")
    int writerMaxBatch();

    /** How long usage may wait to be written before it is given up (a durable request then answers 503). */
    @WithDefault("10s")
    Duration writerTimeout();

    /** How often the aggregator derives counters and roll-ups from the ledger. */
    @WithDefault("1s")
    Duration aggregationInterval();

    /** The most events per writer stream one aggregation round counts. */
    @WithDefault("100000")
    int aggregationBatch();

    /** How long a quota lease lives unless its process renews it (it does, a third of this apart). */
    @WithDefault("30s")
    Duration leaseTtl();

    /** A lease is sized to about this much of the tenant's recent demand on this process. */
    @WithDefault("2s")
    Duration leaseBlock();

    /** A lease nothing was admitted from for this long is returned. */
    @WithDefault("10s")
    Duration leaseIdle();

    /** How long after a lease expired it is reclaimed (its process is presumed dead). */
    @WithDefault("10s")
    Duration leaseReclaimGrace();

    /** Rate limits: a process takes tokens in blocks of about this much of its own recent demand. */
    @WithDefault("100ms")
    Duration rateBlock();

    /** How long a refused quota is remembered, so that further calls are refused without the database. */
    @WithDefault("2s")
    Duration exhaustedQuotaMemory();

    /** How long a tenant's plan (for rate limits) is trusted from memory; changes evict it at once. */
    @WithDefault("30s")
    Duration planCacheTtl();

    /** How often storage is sampled; each tenant is charged once per hour whatever the interval. */
    @WithDefault("10m")
    String storageSamplingEvery();

    /** Hours of storage filled in after a gap (all instances scaled to zero), at the current footprint. */
    @WithDefault("744")
    int storageCatchUpHours();

    /**
     * {@code bench/metering.sh} only: an unauthenticated {@code POST /bench/usage} that appends usage through the
     * ledger writer, to measure its sustained rate. Never in production.
     */
    @WithDefault("false")
    boolean benchEnabled();

    /** At most one quota refusal per tenant and meter is audited in this interval (with a count). */
    @WithDefault("60s")
    Duration refusalAuditInterval();
}
