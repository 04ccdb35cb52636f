package io.modelyard.common;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "modelyard.http")
public interface HttpLimitsConfig {

    /** The largest JSON request body accepted; larger ones get 413 before they are read. */
    @WithDefault("1M")
    MemorySize maxJsonBodySize();
}
