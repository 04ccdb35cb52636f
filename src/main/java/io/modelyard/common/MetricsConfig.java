package io.modelyard.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Prometheus metrics beyond Quarkus's own (README "Operations"). */
@ConfigMapping(prefix = "modelyard.metrics")
public interface MetricsConfig {

    /** How often each process samples the queue's depth and age from the database. */
    @WithDefault("15s")
    Duration queueSampleInterval();

    /** Models that get their own prediction-latency series per process; later ones count as {@code other}. */
    @WithDefault("50")
    int maxModelLabels();
}
