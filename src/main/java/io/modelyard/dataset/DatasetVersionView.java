package io.modelyard.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.dataset.split.SplitCounts;
import java.time.Instant;

/**
 * One immutable version as clients see it.
 *
 * @param kind       {@code raw}: made from the upload on arrival; {@code cleaned}: re-cleaned later
 * @param schema     the columns with their role and inferred type, the upload's header, ignored columns
 * @param validation row-level findings: {@code status}, totals by reason, the first issues with row and column
 * @param cleaning   what cleaning changed, per operation, and the options it used
 * @param profile    per-column statistics, labels and imbalance, duplicates, rows leaking between splits
 * @param options    every option the version was made with (column map, cleaning, split, limits)
 * @param raw        the upload it was made from (size and SHA-256)
 * @param blob       the processed rows (size and SHA-256)
 */
public record DatasetVersionView(String id, String object, String datasetId, int number, String kind,
        String parentVersionId, long rowCount, SplitCounts splits, JsonNode schema, JsonNode validation,
        JsonNode cleaning, JsonNode profile, JsonNode options, Blob raw, Blob blob, String createdBy,
        Instant createdAt) {

    public record Blob(long sizeBytes, String sha256) {
    }
}
