package io.modelyard.dataset;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetRequests.CleaningSettings;
import io.modelyard.dataset.DatasetRequests.SplitSettings;
import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningOptions.Missing;
import io.modelyard.dataset.cleaning.CleaningOptions.MissingStrategy;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.model.spec.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the API's optional settings into the processing core's complete options, refusing nonsense with 400. */
public final class OptionsResolver {

    private OptionsResolver() {
    }

    static TaskType task(String task) {
        if (task == null || task.isBlank()) {
            throw invalid("task", "is required: text_classification, tabular_classification, tabular_regression or "
                    + "image_classification");
        }
        try {
            return TaskType.fromWire(task.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("task", "must be text_classification, tabular_classification, tabular_regression or "
                    + "image_classification");
        }
    }

    static String name(String name, String filename) {
        String value = name;
        if (value == null || value.isBlank()) {
            value = filename == null ? null : filename.replaceFirst("\\.[A-Za-z0-9]{1,8}$", "");
        }
        if (value == null || value.isBlank()) {
            value = "Untitled dataset";
        }
        value = value.strip();
        if (value.length() > 200) {
            throw invalid("name", "must be at most 200 characters");
        }
        return value;
    }

    /** The upload's format: declared, else from the media type, else from the file name's extension. */
    /** Whether the upload is a zip archive (an image dataset): declared, else by media type, else by name. */
    static boolean isZip(String declared, String mediaType, String filename) {
        if (declared != null && !declared.isBlank()) {
            return declared.strip().equalsIgnoreCase("zip");
        }
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT);
        if (type.startsWith("application/zip") || type.startsWith("application/x-zip-compressed")) {
            return true;
        }
        return filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    static DatasetFormat format(String declared, String mediaType, String filename) {
        if (declared != null && !declared.isBlank()) {
            return switch (declared.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> DatasetFormat.CSV;
                case "jsonl", "ndjson", "json_lines" -> DatasetFormat.JSONL;
                default -> throw invalid("format", "must be csv, jsonl or zip");
            };
        }
        var byType = DatasetFormat.fromMediaType(mediaType);
        if (byType.isPresent()) {
            return byType.get();
        }
        if (filename != null) {
            String lower = filename.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".csv") || lower.endsWith(".tsv") || lower.endsWith(".txt")) {
                return DatasetFormat.CSV;
            }
            if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
                return DatasetFormat.JSONL;
            }
        }
        throw ProblemException.unsupportedMediaType("Upload a dataset as text/csv or application/x-ndjson (or as "
                + "multipart/form-data whose file part has one of those types, a .csv/.jsonl name, or "
                + "options.format).");
    }

    /** The {@code delimiter} option of a CSV upload (null: sniff it); also for batch-prediction uploads. */
    public static Character delimiter(String delimiter, DatasetFormat format, String mediaType) {
        if (delimiter == null || delimiter.isEmpty()) {
            return mediaType != null && mediaType.toLowerCase(Locale.ROOT).startsWith("text/tab-separated-values")
                    ? '\t' : null;
        }
        if (format != DatasetFormat.CSV) {
            throw invalid("delimiter", "applies to CSV only");
        }
        return switch (delimiter.toLowerCase(Locale.ROOT)) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "\t", "tab", "\\t" -> '\t';
            case "|", "pipe" -> '|';
            default -> throw invalid("delimiter", "must be one of , ; tab |");
        };
    }

    static CleaningOptions cleaning(CleaningOptions base, CleaningSettings s) {
        if (s == null) {
            return base;
        }
        CleaningOptions c = base;
        if (s.unicodeNfc() != null) {
            c = c.withUnicodeNfc(s.unicodeNfc());
        }
        if (s.whitespace() != null) {
            c = c.withWhitespace(choice(CleaningOptions.Whitespace.class, s.whitespace(), "cleaning.whitespace"));
        }
        if (s.dropDuplicates() != null) {
            c = c.withDropDuplicates(s.dropDuplicates());
        }
        Missing missing = c.missing();
        if (s.missing() != null) {
            missing = missing(s.missing(), s.missingConstant(), "cleaning.missing");
        } else if (s.missingConstant() != null) {
            throw invalid("cleaning.missing_constant", "applies only with missing = constant");
        }
        Map<String, Missing> byColumn = c.missingByColumn();
        if (s.missingByColumn() != null) {
            byColumn = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : s.missingByColumn().entrySet()) {
                String value = e.getValue() == null ? "" : e.getValue();
                String constant = null;
                if (value.toLowerCase(Locale.ROOT).startsWith("constant:")) {
                    constant = value.substring("constant:".length());
                    value = "constant";
                }
                byColumn.put(e.getKey(), missing(value, constant, "cleaning.missing_by_column." + e.getKey()));
            }
        }
        c = c.withMissing(missing, byColumn);
        if (s.missingTokens() != null) {
            c = new CleaningOptions(c.unicodeNfc(), c.whitespace(), c.dropDuplicates(), c.missing(),
                    c.missingByColumn(), List.copyOf(s.missingTokens()), c.conflicts(), c.outliers(), c.labelCase());
        }
        if (s.conflicts() != null) {
            c = c.withConflicts(choice(CleaningOptions.ConflictAction.class, s.conflicts(), "cleaning.conflicts"));
        }
        if (s.outliers() != null || s.outlierAction() != null || s.outlierThreshold() != null
                || s.outlierIncludeTarget() != null) {
            CleaningOptions.Outliers o = c.outliers();
            CleaningOptions.OutlierMethod method = s.outliers() == null ? o.method()
                    : choice(CleaningOptions.OutlierMethod.class, s.outliers(), "cleaning.outliers");
            CleaningOptions.OutlierAction action = s.outlierAction() == null ? o.action()
                    : choice(CleaningOptions.OutlierAction.class, s.outlierAction(), "cleaning.outlier_action");
            double threshold = s.outlierThreshold() != null ? s.outlierThreshold()
                    : method != o.method() ? 0 : o.threshold();
            if (s.outlierThreshold() != null && !(threshold > 0 && threshold < 1e6)) {
                throw invalid("cleaning.outlier_threshold", "must be a positive number");
            }
            boolean target = s.outlierIncludeTarget() != null ? s.outlierIncludeTarget() : o.includeTarget();
            c = c.withOutliers(new CleaningOptions.Outliers(method, action, threshold, target));
        }
        if (s.labelCase() != null) {
            c = c.withLabelCase(choice(CleaningOptions.LabelCase.class, s.labelCase(), "cleaning.label_case"));
        }
        return c;
    }

    static SplitOptions split(SplitOptions base, SplitSettings s) {
        if (s == null) {
            return base;
        }
        double train = base.train();
        double validation = base.validation();
        double test = base.test();
        if (s.train() != null || s.validation() != null || s.test() != null) {
            // Shares given in part: the missing ones share what is left, so "train=0.7,test=0.2" just works.
            if (s.train() != null && s.validation() != null && s.test() != null) {
                train = s.train();
                validation = s.validation();
                test = s.test();
            } else {
                double given = (s.train() == null ? 0 : s.train()) + (s.validation() == null ? 0 : s.validation())
                        + (s.test() == null ? 0 : s.test());
                int missing = (s.train() == null ? 1 : 0) + (s.validation() == null ? 1 : 0)
                        + (s.test() == null ? 1 : 0);
                double each = (1.0 - given) / missing;
                train = s.train() == null ? each : s.train();
                validation = s.validation() == null ? each : s.validation();
                test = s.test() == null ? each : s.test();
            }
        }
        long seed = s.seed() == null ? base.seed() : s.seed();
        boolean stratify = s.stratify() == null ? base.stratify() : s.stratify();
        SplitOptions.Source source = s.source() == null ? base.source()
                : choice(SplitOptions.Source.class, s.source(), "split.source");
        try {
            return new SplitOptions(train, validation, test, seed, stratify, source);
        } catch (ProblemException e) {
            throw e.with("errors", List.of(new ProblemException.FieldError("split", e.detail())));
        }
    }

    private static Missing missing(String strategy, String constant, String field) {
        MissingStrategy value = choice(MissingStrategy.class, strategy, field);
        if (value == MissingStrategy.CONSTANT) {
            if (constant == null || constant.isBlank()) {
                throw invalid(field, "constant needs a non-blank value (missing_constant, or constant:<value>)");
            }
            return Missing.constant(constant);
        }
        return new Missing(value, null);
    }

    static <E extends Enum<E>> E choice(Class<E> type, String value, String field) {
        String wanted = value.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return constant;
            }
        }
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw invalid(field, "must be one of " + String.join(", ", allowed));
    }

    static ProblemException invalid(String field, String message) {
        return DatasetProblem.INVALID_OPTIONS.problem(field + " " + message + ".")
                .with("errors", List.of(new ProblemException.FieldError(field, message)));
    }
}
