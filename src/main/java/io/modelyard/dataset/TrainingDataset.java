package io.modelyard.dataset;

import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.schema.ColumnRole;
import io.modelyard.dataset.split.SplitCounts;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;
import java.util.List;

/**
 * What training needs to know about one dataset version before reading its rows with
 * {@link DatasetVersions#openRows(TrainingDataset)}.
 *
 * @param inputs  the input columns in row order: for text classification the one text column (type
 *                {@code text}); for tabular tasks the features, each {@code numeric} or {@code categorical}
 * @param output  the label (classification) or target (regression): always the last column of a row
 * @param labels  classification: every class, sorted (so class indices are stable); empty for regression
 * @param version the processed blob (key, size, SHA-256; reading it to the end verifies the digest)
 */
public record TrainingDataset(String versionId, String datasetId, TaskType task, List<Column> inputs, Column output,
        List<String> labels, SplitCounts splits, long rowCount, BlobInfo version) {

    /** A column of the version: its name, role, inferred type and index in each row. */
    public record Column(String name, ColumnRole role, ColumnType type, int index) {
    }

    /** Text classification: the text column. */
    public Column textColumn() {
        if (!task.hasOneInput()) {
            throw new IllegalStateException("Not a text classification dataset");
        }
        return inputs.get(0);
    }
}
