package io.modelyard.serving;

import io.modelyard.model.ServableModel;
import io.modelyard.model.spec.TaskType;

/**
 * What a process needs to load and call a model, and nothing a caller could use to reach another tenant: the
 * artifact is immutable, so {@code (id, artifactSha256)} keys a cache. Sent from the API to a worker as is.
 *
 * @param tenantId the owner, for logs only (the API has already checked that the caller may use the model)
 */
public record ModelRef(String id, String tenantId, TaskType task, String artifactKey, String artifactSha256,
        long artifactSizeBytes) {

    public static ModelRef of(ServableModel model, String tenantId) {
        return new ModelRef(model.id(), tenantId, model.task(), model.artifactKey(), model.artifactSha256(),
                model.artifactSizeBytes());
    }

    /** The cache key: a new artifact under the same id (never happens today) would not be mistaken for the old. */
    public String cacheKey() {
        return id + "@" + artifactSha256;
    }
}
