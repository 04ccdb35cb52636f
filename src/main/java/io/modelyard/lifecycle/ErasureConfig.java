package io.modelyard.lifecycle;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "modelyard.tenants.erasure")
public interface ErasureConfig {

    /** How often each process looks for deleted tenants whose grace period has ended. */
    @WithDefault("1m")
    Duration interval();

    /** Rows deleted per transaction: a purge killed halfway loses at most this much work. */
    @WithDefault("1000")
    int batchSize();

    /**
     * How long an erased tenant's billing records (usage ledger, daily usage, plan changes, credits, billing
     * account; no personal data) are kept for tax and accounting law before they are dropped too.
     */
    @WithDefault("3650d")
    Duration billingRetention();
}
