package io.modelyard.dataset.cleaning;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.dataset.problem.DatasetProblem;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How to clean a dataset into a new version. {@link #DEFAULTS} only normalizes and removes exact duplicates
 * and rows that cannot be learned from; it never drops a row for being unusual (outliers and conflicting
 * labels are reported, not removed) unless asked.
 *
 * @param unicodeNfc      normalize text to Unicode NFC (so "é" typed two ways is one value)
 * @param whitespace      text and category values: keep, trim, or collapse (trim, and every run of spaces,
 *                        tabs and line breaks becomes one space)
 * @param dropDuplicates  remove rows identical to an earlier row (after normalization)
 * @param missing         tabular features with a missing value: the default strategy
 * @param missingByColumn per-column strategy, overriding {@code missing}
 * @param missingTokens   feature values that mean "missing" besides a blank (case-sensitive)
 * @param conflicts       identical inputs with different labels: flag them in the report, or drop them all
 * @param outliers        numeric outliers in tabular features
 * @param labelCase       labels: keep their case, or fold to lower or upper case
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleaningOptions(boolean unicodeNfc, Whitespace whitespace, boolean dropDuplicates,
        Missing missing, Map<String, Missing> missingByColumn, List<String> missingTokens,
        ConflictAction conflicts, Outliers outliers, LabelCase labelCase) {

    public static final List<String> DEFAULT_MISSING_TOKENS =
            List.of("NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none", "?");

    public static final CleaningOptions DEFAULTS = new CleaningOptions(true, Whitespace.COLLAPSE, true,
            Missing.AUTO, Map.of(), DEFAULT_MISSING_TOKENS, ConflictAction.FLAG, Outliers.REPORT_IQR,
            LabelCase.KEEP);

    public CleaningOptions {
        whitespace = whitespace == null ? Whitespace.COLLAPSE : whitespace;
        missing = missing == null ? Missing.AUTO : missing;
        missingByColumn = missingByColumn == null ? Map.of() : Map.copyOf(missingByColumn);
        missingTokens = missingTokens == null ? DEFAULT_MISSING_TOKENS : List.copyOf(missingTokens);
        conflicts = conflicts == null ? ConflictAction.FLAG : conflicts;
        outliers = outliers == null ? Outliers.REPORT_IQR : outliers;
        labelCase = labelCase == null ? LabelCase.KEEP : labelCase;
    }

    /** The strategy for one feature column. */
    public Missing missingFor(String column) {
        return missingByColumn.getOrDefault(column, missing);
    }

    public CleaningOptions withDropDuplicates(boolean value) {
        return new CleaningOptions(unicodeNfc, whitespace, value, missing, missingByColumn, missingTokens,
                conflicts, outliers, labelCase);
    }

    public CleaningOptions withWhitespace(Whitespace value) {
        return new CleaningOptions(unicodeNfc, value, dropDuplicates, missing, missingByColumn, missingTokens,
                conflicts, outliers, labelCase);
    }

    public CleaningOptions withUnicodeNfc(boolean value) {
        return new CleaningOptions(value, whitespace, dropDuplicates, missing, missingByColumn, missingTokens,
                conflicts, outliers, labelCase);
    }

    public CleaningOptions withMissing(Missing value, Map<String, Missing> byColumn) {
        return new CleaningOptions(unicodeNfc, whitespace, dropDuplicates, value, byColumn, missingTokens,
                conflicts, outliers, labelCase);
    }

    public CleaningOptions withConflicts(ConflictAction value) {
        return new CleaningOptions(unicodeNfc, whitespace, dropDuplicates, missing, missingByColumn, missingTokens,
                value, outliers, labelCase);
    }

    public CleaningOptions withOutliers(Outliers value) {
        return new CleaningOptions(unicodeNfc, whitespace, dropDuplicates, missing, missingByColumn, missingTokens,
                conflicts, value, labelCase);
    }

    public CleaningOptions withLabelCase(LabelCase value) {
        return new CleaningOptions(unicodeNfc, whitespace, dropDuplicates, missing, missingByColumn, missingTokens,
                conflicts, outliers, value);
    }

    public enum Whitespace {
        KEEP, TRIM, COLLAPSE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum LabelCase {
        KEEP, LOWER, UPPER;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum ConflictAction {
        FLAG, DROP;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to do with a missing feature value. */
    public enum MissingStrategy {
        /** Median for a numeric column, mode for a categorical one, left blank for free text. */
        AUTO,
        DROP_ROW, MEAN, MEDIAN, MODE, CONSTANT,
        /** Leave the value blank. */
        KEEP;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param constant the value for {@link MissingStrategy#CONSTANT} */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Missing(MissingStrategy strategy, String constant) {

        public static final Missing AUTO = new Missing(MissingStrategy.AUTO, null);
        public static final Missing DROP_ROW = new Missing(MissingStrategy.DROP_ROW, null);
        public static final Missing KEEP = new Missing(MissingStrategy.KEEP, null);
        public static final Missing MEAN = new Missing(MissingStrategy.MEAN, null);
        public static final Missing MEDIAN = new Missing(MissingStrategy.MEDIAN, null);
        public static final Missing MODE = new Missing(MissingStrategy.MODE, null);

        public Missing {
            if (strategy == null) {
                strategy = MissingStrategy.AUTO;
            }
            if (strategy == MissingStrategy.CONSTANT && (constant == null || constant.isBlank())) {
                throw DatasetProblem.INVALID_OPTIONS.problem("The constant missing-value strategy needs a "
                        + "non-blank constant.");
            }
        }

        public static Missing constant(String value) {
            return new Missing(MissingStrategy.CONSTANT, value);
        }
    }

    public enum OutlierMethod {
        NONE,
        /** Outside [Q1 - k·IQR, Q3 + k·IQR], k = threshold (1.5 by default). */
        IQR,
        /** More than threshold standard deviations from the mean (3 by default). */
        ZSCORE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum OutlierAction {
        /** Count them in the report only. */
        KEEP,
        /** Replace by the nearest bound. */
        CLIP,
        DROP;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param includeTarget also treat a regression target (changing targets changes what is learned: off by
     *                      default)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Outliers(OutlierMethod method, OutlierAction action, double threshold, boolean includeTarget) {

        public static final Outliers REPORT_IQR = new Outliers(OutlierMethod.IQR, OutlierAction.KEEP, 1.5, false);
        public static final Outliers NONE = new Outliers(OutlierMethod.NONE, OutlierAction.KEEP, 0, false);

        public Outliers {
            method = method == null ? OutlierMethod.IQR : method;
            action = action == null ? OutlierAction.KEEP : action;
            if (threshold <= 0) {
                threshold = method == OutlierMethod.ZSCORE ? 3.0 : 1.5;
            }
        }

        public static Outliers iqr(OutlierAction action, double k) {
            return new Outliers(OutlierMethod.IQR, action, k, false);
        }

        public static Outliers zscore(OutlierAction action, double z) {
            return new Outliers(OutlierMethod.ZSCORE, action, z, false);
        }
    }
}
