package io.modelyard.dataset;

import io.modelyard.dataset.schema.ColumnMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the dataset API. Every member is optional: what is left out keeps its default (for an
 * upload) or the value the source version was made with (for a re-clean).
 */
public final class DatasetRequests {

    private DatasetRequests() {
    }

    /**
     * How to read and process an upload: the JSON {@code options} part of a multipart upload, or the query
     * parameters of a raw one.
     *
     * @param format    {@code csv} or {@code jsonl}; by default from the Content-Type or the file name
     * @param delimiter CSV: {@code ,} {@code ;} {@code tab} (or a tab character) or {@code |}; sniffed when absent
     */
    public record UploadOptions(String name, String task, String format, String delimiter, ColumnMap columnMap,
            CleaningSettings cleaning, SplitSettings split, Map<String, String> metadata) {
    }

    /**
     * Cleaning options (see {@link io.modelyard.dataset.cleaning.CleaningOptions}).
     *
     * @param missing          {@code auto}, {@code drop_row}, {@code mean}, {@code median}, {@code mode},
     *                         {@code constant} or {@code keep}
     * @param missingByColumn  per column: a strategy, or {@code constant:<value>}
     * @param outliers         {@code none}, {@code iqr} or {@code zscore}
     * @param outlierAction    {@code keep} (report only), {@code clip} or {@code drop}
     */
    public record CleaningSettings(Boolean unicodeNfc, String whitespace, Boolean dropDuplicates, String missing,
            String missingConstant, Map<String, String> missingByColumn, List<String> missingTokens,
            String conflicts, String outliers, String outlierAction, Double outlierThreshold,
            Boolean outlierIncludeTarget, String labelCase) {

        static final CleaningSettings NONE = new CleaningSettings(null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /**
     * Split options (see {@link io.modelyard.dataset.split.SplitOptions}).
     *
     * @param source {@code auto} (a split column when the file has one, else drawn), {@code draw} or
     *               {@code column}
     */
    public record SplitSettings(Double train, Double validation, Double test, Long seed, Boolean stratify,
            String source) {

        static final SplitSettings NONE = new SplitSettings(null, null, null, null, null, null);
    }

    /**
     * A new version of a dataset cleaned with other options. The source is the dataset's raw upload (default) or,
     * with {@code from: "version"}, the processed rows of the version named in the path (keeping their splits
     * unless {@code split} says otherwise). Options left out are those the path's version was made with.
     */
    public record CleanVersion(String from, ColumnMap columnMap, CleaningSettings cleaning, SplitSettings split) {
    }
}
