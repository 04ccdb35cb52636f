package io.modelyard.storage;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the blob store answers. Looks up one key (a HEAD request on S3, a stat on the filesystem), which
 * fails when the bucket or directory is unreachable or not ours to read; it writes nothing.
 */
@Readiness
@ApplicationScoped
public class BlobStoreHealthCheck implements HealthCheck {

    static final String PROBE_KEY = "health/readiness-probe";

    private final BlobStore blobs;
    private final StorageConfig config;

    BlobStoreHealthCheck(BlobStore blobs, StorageConfig config) {
        this.blobs = blobs;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            blobs.stat(PROBE_KEY);
            return HealthCheckResponse.named("Blob store").up().withData("type", config.type().toString()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("Blob store").down().withData("type", config.type().toString())
                    .withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
