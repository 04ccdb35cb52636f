package io.modelyard.storage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What a committed write produced: the key, its size in bytes and the lowercase hex SHA-256 of the content. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BlobInfo(String key, long size, String sha256) {
}
