package io.modelyard.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.model.spec.TaskType;
import java.time.Instant;
import java.util.Map;

/**
 * A dataset as clients see it, with its newest version (profile and reports included) for reading; jobs name
 * a version id, never "the latest".
 *
 * @param storedBytes bytes its blobs take (the upload once, plus every processed version): what counts against
 *                    the plan's storage cap
 */
public record DatasetView(String id, String object, String name, TaskType task, String status, JsonNode columnMap,
        JsonNode source, int versionCount, long storedBytes, DatasetVersionView latestVersion,
        Map<String, String> metadata, String createdBy, Instant createdAt, Instant updatedAt) {
}
