package io.modelyard.dataset.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * The resolved columns of a dataset: the processed version holds {@code columns} in this order (inputs first,
 * the label or target last), then the split. Columns of the upload not named here are left out.
 *
 * @param sourceColumns the upload's header, in file order
 * @param splitColumn   the upload's column that gave each row's split, or null when splits were drawn
 * @param ignoredColumns columns of the upload left out of the processed version
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DatasetSchema(TaskType task, List<String> sourceColumns, List<SchemaColumn> columns,
        String splitColumn, List<String> ignoredColumns) {

    public DatasetSchema {
        sourceColumns = List.copyOf(sourceColumns);
        columns = List.copyOf(columns);
        ignoredColumns = List.copyOf(ignoredColumns);
    }

    /** Index in {@link #columns()} of the label or target: always the last. */
    @JsonIgnore
    public int outputIndex() {
        return columns.size() - 1;
    }

    @JsonIgnore
    public SchemaColumn output() {
        return columns.get(outputIndex());
    }

    /** Number of input columns (text or features): every column but the last. */
    @JsonIgnore
    public int inputCount() {
        return columns.size() - 1;
    }

    @JsonIgnore
    public List<String> columnNames() {
        return columns.stream().map(SchemaColumn::name).toList();
    }

    /** Source index of the split column, or -1. */
    @JsonIgnore
    public int splitSourceIndex() {
        return splitColumn == null ? -1 : sourceColumns.indexOf(splitColumn);
    }
}
