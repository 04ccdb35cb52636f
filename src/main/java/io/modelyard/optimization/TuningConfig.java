package io.modelyard.optimization;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "modelyard.tuning")
public interface TuningConfig {

    /** Attempts of a tuning job (a lost worker or a transient error uses one; the search resumes where it was). */
    @WithDefault("3")
    int maxAttempts();

    /** Trials a tuning job tries when its request names no budget. */
    @WithDefault("12")
    int defaultMaxTrials();

    /** Single-row predictions timed per finished trial for its latency (the median is reported). */
    @WithDefault("30")
    int latencySamples();
}
