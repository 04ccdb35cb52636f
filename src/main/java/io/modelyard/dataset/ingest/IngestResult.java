package io.modelyard.dataset.ingest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.cleaning.CleaningReport;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.quality.ValidationReport;
import io.modelyard.dataset.schema.DatasetSchema;
import io.modelyard.dataset.split.SplitCounts;
import io.modelyard.dataset.version.RowIndex;
import io.modelyard.storage.BlobInfo;
import java.util.List;

/**
 * What an ingest (or a re-clean) stored and found; every member serializes to snake_case JSON for the
 * dataset and version rows.
 *
 * @param raw          the upload as received (for a re-clean: the source, unchanged)
 * @param source       how to read {@code raw} again
 * @param version      the processed version (see {@link io.modelyard.dataset.version.CanonicalFormat})
 * @param columnTypes  inferred type per schema column, for typed exports
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IngestResult(BlobInfo raw, SourceFormat source, BlobInfo version, DatasetSchema schema,
        List<ColumnType> columnTypes, ValidationReport validation, CleaningReport cleaning, DatasetProfile profile,
        SplitCounts splits, RowIndex rowIndex) {
}
