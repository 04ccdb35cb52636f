package io.modelyard.dataset.ingest;

import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.model.spec.TaskType;

/**
 * One upload to ingest.
 *
 * @param source         format (and CSV delimiter, null to sniff)
 * @param task           declared task type
 * @param columns        the column map; {@link ColumnMap#GUESS} (or null) to guess every part
 * @param options        processing options
 * @param rawKey         blob key for the upload as received
 * @param versionKey     blob key for the processed version
 * @param maxUploadBytes bytes the upload may have (plan limit, or what is left of the storage quota)
 */
public record IngestRequest(SourceFormat source, TaskType task, ColumnMap columns, IngestOptions options,
        String rawKey, String versionKey, long maxUploadBytes) {

    public IngestRequest {
        if (source == null || task == null || rawKey == null || versionKey == null) {
            throw new IllegalArgumentException("source, task, rawKey and versionKey are required");
        }
        columns = columns == null ? ColumnMap.GUESS : columns;
        options = options == null ? IngestOptions.DEFAULTS : options;
    }
}
