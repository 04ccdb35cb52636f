package io.modelyard.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Metering, quotas and rate limits (README "Settings"). */
@ConfigMapping(prefix = "modelyard.billing")
public interface BillingConfig {

    /** Meter every successful API-key request as {@code api_requests} (and what endpoints add to it). */
    @WithDefault("true")
    boolean meteringEnabled();

    /** Refuse what would exceed a hard quota. Off: usage is still metered, never refused. */
    @WithDefault("true")
    boolean quotasEnabled();

    /** Token buckets per API key and per tenant. */
    @WithDefault("true")
    boolean rateLimitsEnabled();

    /**
     * How many API instances share the traffic. Buckets are kept in memory per instance, so each instance
     * enforces 1/N of the plan's rate and burst; with N instances behind a balancer the whole fleet then allows
     * about the plan's limit.
     */
    @WithDefault("1")
    int rateLimitInstances();

    /** Metering writer threads (each with its own connection); two pipeline commits. */
    @WithDefault("2")
    int writerThreads();

    /** The most charges one metering transaction commits together. */
    @WithDefault("2000")
    int writerMaxBatch();

    /** How long a metering statement may take before it is abandoned (the request then answers 503). */
    @WithDefault("10s")
    Duration writerTimeout();

    /** How long a request's quota reservation lives if its instance dies before settling it. */
    @WithDefault("5m")
    Duration requestReservationTtl();

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

    /** At most one quota refusal per tenant and meter is audited in this interval (with a count). */
    @WithDefault("60s")
    Duration refusalAuditInterval();
}
