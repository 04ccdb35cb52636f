package io.modelyard.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "modelyard.training")
public interface TrainingConfig {

    /** Checkpoints kept per running job (older ones are deleted as new ones are written). */
    @WithDefault("2")
    int checkpointsKept();

    /** Attempts before a training job fails for good (a lost worker or a transient error uses one). */
    @WithDefault("3")
    int maxAttempts();

    /**
     * The meter estimates and quota checks use: {@code training_cpu_seconds}, or {@code training_gpu_seconds}
     * where workers have GPUs. (What a finished job records follows the device it actually ran on.)
     */
    @WithDefault("training_cpu_seconds")
    io.modelyard.billing.Meter computeMeter();

    /** The largest number of rows a training job loads from a dataset version. */
    @WithDefault("2000000")
    long maxRows();
}
