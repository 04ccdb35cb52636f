package io.modelyard.dataset.schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One column of a processed version: its name (as in the upload), role, and index in the upload's header. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SchemaColumn(String name, ColumnRole role, int sourceIndex) {
}
