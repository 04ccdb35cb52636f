package io.modelyard.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "modelyard.tenants.deletion")
public interface TenantDeletionConfig {

    /**
     * How long a deleted tenant can still be restored by its owner or an operator; then it is erased. Operators
     * may delete with a shorter grace (a customer asking for immediate erasure).
     */
    @WithDefault("7d")
    Duration grace();
}
