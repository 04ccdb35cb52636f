package io.modelyard.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "modelyard")
public interface PlatformConfig {

    /** {@code all} (default), {@code api}, {@code worker} or {@code migrate}. */
    @WithDefault("all")
    DeploymentRole role();
}
