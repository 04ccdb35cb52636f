package io.modelyard.model;

import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * What serving needs to load and call a model; the artifact is immutable, so (id, sha256) keys a cache.
 *
 * @param task the task as stored and shown ({@code text_classification}); {@link #taskType()} reads it
 */
public record ServableModel(String id, String name, int version, String task, String architecture,
        List<String> labels, String artifactKey, String artifactSha256, long artifactSizeBytes) {

    /** The task, read once here rather than parsed again by every caller. */
    public TaskType taskType() {
        return TaskType.fromWire(task);
    }
}
