package io.modelyard.model;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * What serving needs to load and call a model; the artifact is immutable, so (id, sha256) keys a cache.
 */
public record ServableModel(String id, String name, int version, TaskType task, Architecture architecture,
        List<String> labels, String artifactKey, String artifactSha256, long artifactSizeBytes) {
}
