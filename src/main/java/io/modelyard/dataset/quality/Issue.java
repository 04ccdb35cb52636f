package io.modelyard.dataset.quality;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One finding. {@code row} is the row as a user finds it (CSV header = row 1; JSON Lines: the line), absent
 * for findings about the whole dataset; {@code column} is absent when not about one column.
 * {@code reason} is a stable snake_case code (see {@link Reasons}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Issue(Severity severity, String reason, Long row, String column, String message) {
}
