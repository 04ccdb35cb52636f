package io.modelyard.dataset.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Which column plays which part, as the tenant declares it. Every member is optional; what is left out is
 * guessed (see {@link SchemaResolver}).
 *
 * @param text     text classification: the input text
 * @param label    classification: the class; for tabular classification the same as {@code target}
 * @param features tabular: the input columns (default: every column that has no other part)
 * @param target   tabular: what to predict
 * @param split    a column holding {@code train}, {@code validation} (or {@code val}) or {@code test}
 * @param ignore   columns to leave out of the processed version (ids, free-form notes)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ColumnMap(String text, String label, List<String> features, String target, String split,
        List<String> ignore) {

    public static final ColumnMap GUESS = new ColumnMap(null, null, null, null, null, null);

    public static ColumnMap text(String text, String label) {
        return new ColumnMap(text, label, null, null, null, null);
    }

    public static ColumnMap tabular(List<String> features, String target) {
        return new ColumnMap(null, null, features, target, null, null);
    }

    public ColumnMap withSplit(String column) {
        return new ColumnMap(text, label, features, target, column, ignore);
    }

    public ColumnMap withIgnore(List<String> columns) {
        return new ColumnMap(text, label, features, target, split, columns);
    }
}
