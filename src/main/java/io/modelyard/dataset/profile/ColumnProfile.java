package io.modelyard.dataset.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.schema.ColumnRole;

/** One column of a version: type, missing values, and the summary that fits its type. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ColumnProfile(String name, ColumnRole role, ColumnType type, long missing, NumericSummary numeric,
        CategoricalSummary categorical, TextSummary text) {
}
