package io.modelyard.optimization;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of compression and distillation jobs (tuning jobs have {@link TuningConfig}). */
@ConfigMapping(prefix = "modelyard.optimization")
public interface OptimizationConfig {

    /** Attempts of a compression or distillation job (a lost worker or a transient error uses one). */
    @WithDefault("3")
    int maxAttempts();

    /** Single-row predictions timed per model measured (the median is its {@code latency_ms}). */
    @WithDefault("30")
    int latencySamples();
}
