package io.modelyard.export;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "modelyard.exports")
public interface ExportConfig {

    /**
     * How long an archive can be downloaded after it was written; then it is deleted and its download answers
     * 410 {@code export-expired}. An archive is a copy of everything the tenant has: keep it short.
     */
    @WithDefault("P7D")
    Duration retention();

    /** How often expired archives are looked for. */
    @WithDefault("1h")
    Duration sweepInterval();

    /** Attempts before an export job fails for good (a lost worker or a transient error uses one). */
    @WithDefault("3")
    int maxAttempts();

    /** The largest archive a job may write; a bigger one fails the job (archive_too_large). */
    @WithDefault("100G")
    MemorySize maxArchiveSize();
}
