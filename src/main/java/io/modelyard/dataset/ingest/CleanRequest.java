package io.modelyard.dataset.ingest;

import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;

/**
 * A new version cleaned from a stored one (normally the raw upload) with other options. The source is read,
 * never changed.
 *
 * @param source       the stored blob (its recorded SHA-256 is verified while reading)
 * @param sourceFormat how to read it: the upload's format, or {@link SourceFormat#csv()} with
 *                     {@code __split} as the split column for a processed version
 */
public record CleanRequest(BlobInfo source, SourceFormat sourceFormat, TaskType task, ColumnMap columns,
        IngestOptions options, String versionKey) {

    public CleanRequest {
        if (source == null || sourceFormat == null || task == null || versionKey == null) {
            throw new IllegalArgumentException("source, sourceFormat, task and versionKey are required");
        }
        columns = columns == null ? ColumnMap.GUESS : columns;
        options = options == null ? IngestOptions.DEFAULTS : options;
    }
}
