package io.modelyard.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The worker runtime of this process (roles {@code worker} and {@code all}). */
@ConfigMapping(prefix = "modelyard.worker")
public interface JobWorkerConfig {

    /** Jobs this process runs at once; 0 runs none. */
    @WithDefault("1")
    int threads();

    /** The job types this process claims; default: every type it has a handler for. */
    Optional<Set<String>> types();

    /** How long a claim holds a job without a heartbeat; a worker silent for longer loses the job. */
    @WithDefault("30s")
    Duration leaseDuration();

    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How often idle threads look for work when no notification woke them (a fallback). */
    @WithDefault("2s")
    Duration pollInterval();

    /** On shutdown, how long running handlers get to checkpoint and stop before their jobs are released. */
    @WithDefault("8s")
    Duration shutdownGrace();

    /** This worker's name in {@code lease_owner}; default: host name, process id and a random suffix. */
    Optional<String> id();
}
