package io.modelyard.dataset.cleaning;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One kind of change cleaning made. {@code operation} is a stable code (see {@link CleaningReport});
 * {@code rowsRemoved} rows left the version, {@code valuesChanged} values were rewritten in rows that stayed,
 * {@code rowsFlagged} rows were found but left as they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleaningChange(String operation, String column, long rowsRemoved, long valuesChanged,
        long rowsFlagged, String detail) {
}
