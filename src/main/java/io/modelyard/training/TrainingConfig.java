package io.modelyard.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "modelyard.training")
public interface TrainingConfig {

    /** Checkpoints kept per running job (older ones are deleted as new ones are written). */
    @WithDefault("2")
    int checkpointsKept();

    /**
     * The least time between two epoch-end checkpoints: an epoch that ends sooner after the last checkpoint is not
     * saved (the last epoch always is, and a preempted or paused run saves where it stops). Short epochs then cost
     * no checkpoint each; a worker lost without warning repeats at most this much training. {@code 0s}: every epoch.
     */
    @WithDefault("30s")
    java.time.Duration checkpointInterval();

    /** Attempts before a training job fails for good (a lost worker or a transient error uses one). */
    @WithDefault("3")
    int maxAttempts();

    /**
     * The meter estimates and holds start on: {@code training_cpu_seconds}, or {@code training_gpu_seconds} where
     * workers have GPUs (the Helm chart sets it from its worker settings). A worker moves a job's hold to the meter
     * of the device it actually trains on, and charges that.
     */
    @WithDefault("training_cpu_seconds")
    io.modelyard.billing.Meter computeMeter();

    /** Multiplies every compute estimate: calibrate it to your workers (below 1 for faster ones). */
    @WithDefault("1.0")
    double costScale();

    /**
     * A running job whose compute passes its hold by this fraction is stopped ({@code compute_limit_exceeded}):
     * 1.0 stops it at twice the estimate.
     */
    @WithDefault("1.0")
    double holdMargin();

    /** The largest number of rows a training job loads from a dataset version. */
    @WithDefault("2000000")
    long maxRows();
}
