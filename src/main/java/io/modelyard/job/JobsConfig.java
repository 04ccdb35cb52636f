package io.modelyard.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Queue policy, the same for every process: retries, backoff, lease expiry. */
@ConfigMapping(prefix = "modelyard.jobs")
public interface JobsConfig {

    /** Attempts a job gets when its creator names none. */
    @WithDefault("3")
    int defaultMaxAttempts();

    /** Delay before the second attempt; it doubles for each later one, up to {@link #backoffMax()}, ±20 %. */
    @WithDefault("10s")
    Duration backoffBase();

    @WithDefault("10m")
    Duration backoffMax();

    /** How often a process looks for jobs whose lease expired (API and worker processes both do). */
    @WithDefault("10s")
    Duration reaperInterval();

    /** Event streams one tenant may hold open on one API instance; more answer 429. */
    @WithDefault("50")
    int maxStreamsPerTenant();

    /** Events a stream holds for a client that reads slower than they come; beyond, the stream ends and the
     * client resumes from its Last-Event-ID. */
    @WithDefault("1000")
    int streamBuffer();
}
