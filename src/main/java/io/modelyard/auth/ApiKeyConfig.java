package io.modelyard.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "modelyard.api-keys")
public interface ApiKeyConfig {

    /**
     * How long a verified key is trusted without asking the database again. Revocation, rotation and tenant
     * suspension evict it at once (locally, and on other instances through PostgreSQL notifications); this is
     * only the backstop if a notification is lost.
     */
    @WithDefault("60s")
    Duration cacheTtl();

    /** How many verified keys an instance keeps in memory. */
    @WithDefault("10000")
    int cacheSize();

    /** How often {@code last_used_at} is written back; uses in between are batched. */
    @WithDefault("5s")
    Duration lastUsedFlushInterval();

    /** How long a well-formed key that matched nothing is answered "unknown" from memory. */
    @WithDefault("30s")
    Duration unknownKeyTtl();

    /**
     * Database look-ups of keys not in memory that one source address may cause per second (and in a burst);
     * beyond, 429 before any query. Keys already verified are never counted.
     */
    @WithDefault("10")
    double lookupsPerSecondPerAddress();

    @WithDefault("50")
    int lookupBurstPerAddress();
}
