package io.modelyard.portal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The web portal's settings (README, "Settings"). */
@ConfigMapping(prefix = "modelyard.portal")
public interface PortalConfig {

    /**
     * Encrypts stored sign-in tokens and the PKCE state, and keys CSRF tokens. Every API replica needs the same
     * one (32+ characters); without it each process makes its own at start.
     */
    Optional<String> secret();

    /** How often expired sign-in sessions are deleted. */
    @WithDefault("10m")
    Duration sessionSweepInterval();

    /** Rows per page in portal lists. */
    @WithDefault("20")
    int pageSize();
}
