package io.modelyard.serving.batch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "modelyard.batch")
public interface BatchConfig {

    /** Rows predicted per forward pass; progress is reported and cancellation checked between chunks. */
    @WithDefault("256")
    int chunkSize();

    /** Attempts before a batch prediction fails for good (a lost worker or a transient error uses one). */
    @WithDefault("3")
    int maxAttempts();

    /** How long a worker waits for the model to load before the attempt is retried. */
    @WithDefault("2m")
    Duration loadWait();

    /**
     * How long result files are kept after they were written; older ones are deleted (the job stays, and its
     * result answers 410 {@code result-expired}).
     */
    @WithDefault("30d")
    Duration resultRetention();

    /** How often expired result files are looked for. */
    @WithDefault("1h")
    Duration sweepInterval();

    /** The largest result file a job may write; a bigger one fails the job (result_too_large). */
    @WithDefault("10G")
    io.quarkus.runtime.configuration.MemorySize maxResultSize();
}
