package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningOptions.MissingStrategy;
import io.modelyard.dataset.cleaning.CleaningOptions.OutlierMethod;
import io.modelyard.dataset.cleaning.ValueNormalizer;
import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.DatasetProfile;
import io.modelyard.dataset.profile.LabelCount;
import io.modelyard.dataset.quality.IssueCollector;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.schema.DatasetSchema;
import io.modelyard.dataset.schema.SchemaColumn;
import io.modelyard.dataset.split.SplitCounts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one processing run shared by its passes: schema, options, the issues and cleaning counts
 * gathered so far, labels, and what the first pass learned about repeated inputs.
 */
final class Run {

    /** Label tokens use the low 29 bits; the two above hold the split of an input's first row (single pass). */
    static final int TOKEN_MASK = 0x1FFFFFFF;
    static final int SPLIT_SHIFT = 30;

    private static final double IMBALANCE_WARNING = 10;
    private static final int RARE_CLASS = 10;
    private static final double MOSTLY_MISSING = 0.5;

    final DatasetSchema schema;
    final IngestOptions options;
    final CleaningOptions cleaning;
    final IssueCollector issues;
    final CleaningCounters counters;
    final LabelIndex labels;
    final int columns;
    final int inputs;
    final int output;
    final boolean classification;
    final boolean textTask;
    private final Set<String> missingTokens;
    final ColumnStats[] stats;

    long rowsRead;
    long rowsAccepted;
    /** Inputs seen with more than one label, and (input, label) pairs of those inputs. */
    final LongSet conflicts = new LongSet();
    final LongSet conflictRows = new LongSet();
    /** Inputs of more than one accepted row (duplicates kept, or conflicts). */
    final LongSet repeated = new LongSet();

    Run(DatasetSchema schema, IngestOptions options) {
        this.schema = schema;
        this.options = options;
        this.cleaning = options.cleaning();
        this.issues = new IssueCollector(options.maxIssues());
        this.counters = new CleaningCounters(schema);
        this.columns = schema.columns().size();
        this.inputs = schema.inputCount();
        this.output = schema.outputIndex();
        this.classification = schema.task().isClassification();
        this.textTask = schema.task().hasOneInput();
        this.labels = new LabelIndex(options.maxClasses(), schema.output().name());
        this.missingTokens = new HashSet<>(cleaning.missingTokens());
        if (textTask) {
            this.stats = null;
        } else {
            this.stats = new ColumnStats[columns];
            int numericLimit = (int) Math.min(100_000, 4_000_000L / columns);
            int categoryLimit = (int) Math.min(10_000, Math.max(100, 200_000L / columns));
            for (int i = 0; i < columns; i++) {
                stats[i] = new ColumnStats(numericLimit, categoryLimit, 0xC0FFEE + i);
            }
        }
    }

    String name(int column) {
        return schema.columns().get(column).name();
    }

    /** NFC and whitespace per the options, counting what changed; feature values that mean "missing" become empty. */
    String normalizeInput(int column, String value) {
        String s = value;
        if (cleaning.unicodeNfc()) {
            String n = ValueNormalizer.nfc(s);
            if (n != s) {
                counters.nfc[column]++;
                s = n;
            }
        }
        String w = ValueNormalizer.whitespace(s, cleaning.whitespace());
        if (w != s) {
            counters.whitespace[column]++;
            s = w;
        }
        if (!textTask && !s.isEmpty() && missingTokens.contains(s)) {
            return "";
        }
        if (textTask && !s.isEmpty() && ValueNormalizer.isBlank(s)) {
            return "";
        }
        return s;
    }

    /** Labels and targets: NFC, whitespace collapsed (unless kept), case per the options. Empty when missing. */
    String normalizeLabel(String value) {
        if (value == null) {
            return "";
        }
        String s = cleaning.unicodeNfc() ? ValueNormalizer.nfc(value) : value;
        if (cleaning.whitespace() != CleaningOptions.Whitespace.KEEP) {
            s = ValueNormalizer.whitespace(s, CleaningOptions.Whitespace.COLLAPSE);
        } else if (ValueNormalizer.isBlank(s)) {
            s = "";
        }
        if (classification) {
            s = ValueNormalizer.labelCase(s, cleaning.labelCase());
        } else if (missingTokens.contains(s)) {
            s = "";
        }
        if (s != value && !s.isEmpty()) {
            counters.labelNormalized++;
        }
        return s;
    }

    /** The token that stands for a row's label in duplicate and conflict detection. */
    static int regressionToken(double target) {
        return (int) RowHash.avalanche(Double.doubleToLongBits(target + 0.0)) & TOKEN_MASK;
    }

    /** After the first pass: reject a dataset with row errors or without usable rows. */
    void checkFirstPass() {
        if (issues.hasErrors()) {
            throw issues.rejection(rowsRead);
        }
        if (rowsRead == 0) {
            throw DatasetProblem.EMPTY_DATASET.problem("The file has a header but no data rows.");
        }
        if (rowsAccepted == 0) {
            throw DatasetProblem.NO_USABLE_ROWS.problem("None of the " + rowsRead + " rows can be used: "
                    + issues.report(rowsRead, 0).totals() + ".");
        }
    }

    /** Column types, imputations and outlier bounds from the first pass's statistics (tabular tasks). */
    Decisions decide() {
        Decisions d = new Decisions(columns);
        for (int i = 0; i < inputs; i++) {
            ColumnStats s = stats[i];
            ColumnType type = s.inferType();
            d.types[i] = type;
            String column = name(i);
            long total = s.missing + s.nonMissing;
            if (total > 0 && s.missing > total * MOSTLY_MISSING) {
                issues.warnings(Reasons.MOSTLY_MISSING, 1, column, "Column '" + column + "' is missing in "
                        + s.missing + " of " + total + " rows.");
            }
            if (s.categories.distinct() == 1 && !s.categories.capped()) {
                issues.warnings(Reasons.CONSTANT_COLUMN, 1, column, "Column '" + column
                        + "' has one value only; it cannot help a model.");
            }
            decideMissing(d, i, s, type);
            if (type == ColumnType.NUMERIC) {
                decideBounds(d, i, s);
            }
        }
        d.types[output] = classification ? ColumnType.CATEGORICAL : ColumnType.NUMERIC;
        if (!classification && cleaning.outliers().includeTarget()) {
            decideBounds(d, output, stats[output]);
        }
        return d;
    }

    private void decideMissing(Decisions d, int i, ColumnStats s, ColumnType type) {
        CleaningOptions.Missing wanted = cleaning.missingFor(name(i));
        MissingStrategy strategy = wanted.strategy();
        String note = "";
        if (strategy == MissingStrategy.AUTO) {
            strategy = switch (type) {
                case NUMERIC -> MissingStrategy.MEDIAN;
                case CATEGORICAL -> MissingStrategy.MODE;
                case TEXT -> MissingStrategy.KEEP;
            };
        } else if ((strategy == MissingStrategy.MEAN || strategy == MissingStrategy.MEDIAN)
                && type != ColumnType.NUMERIC) {
            note = " (" + strategy.id() + " needs a numeric column)";
            strategy = MissingStrategy.MODE;
        }
        String value = switch (strategy) {
            case MEAN -> s.numeric.count() == 0 ? null : Numbers.format(s.numeric.mean());
            case MEDIAN -> s.numeric.count() == 0 ? null : Numbers.format(s.numeric.quantile(0.5));
            case MODE -> s.categories.mode();
            case CONSTANT -> wanted.constant();
            default -> null;
        };
        if (value == null && strategy != MissingStrategy.DROP_ROW) {
            strategy = MissingStrategy.KEEP;
        }
        d.missing[i] = strategy;
        d.impute[i] = value;
        counters.missingDetail[i] = strategy.id() + (value == null ? "" : " " + value) + note;
    }

    private void decideBounds(Decisions d, int i, ColumnStats s) {
        CleaningOptions.Outliers o = cleaning.outliers();
        if (o.method() == OutlierMethod.NONE || s.numeric.count() < 4) {
            return;
        }
        double low;
        double high;
        if (o.method() == OutlierMethod.IQR) {
            double q1 = s.numeric.quantile(0.25);
            double q3 = s.numeric.quantile(0.75);
            low = q1 - o.threshold() * (q3 - q1);
            high = q3 + o.threshold() * (q3 - q1);
        } else {
            double std = s.numeric.std();
            if (std == 0) {
                return;
            }
            low = s.numeric.mean() - o.threshold() * std;
            high = s.numeric.mean() + o.threshold() * std;
        }
        d.low[i] = low;
        d.high[i] = high;
        counters.outlierDetail[i] = o.method().id() + " " + Numbers.format(o.threshold()) + ": outside ["
                + Numbers.format(low) + ", " + Numbers.format(high) + "], " + o.action().id();
    }

    /** After the version is written: it must still have rows, and two classes; then dataset-level warnings. */
    void checkVersion(DatasetProfile profile) {
        if (profile.rows() == 0) {
            throw DatasetProblem.NO_USABLE_ROWS.problem("Cleaning left no rows (" + rowsRead + " read); relax the "
                    + "cleaning options.");
        }
        if (classification && profile.labels().labels().size() < 2) {
            String only = profile.labels().labels().get(0).label();
            throw DatasetProblem.SINGLE_CLASS.problem("Every usable row has the label '" + only + "'; a classifier "
                    + "needs at least two classes.", java.util.Map.of("column", schema.output().name(),
                            "label", only));
        }
        if (classification) {
            List<LabelCount> counts = profile.labels().labels();
            if (profile.labels().imbalanceRatio() >= IMBALANCE_WARNING) {
                issues.warnings(Reasons.CLASS_IMBALANCE, 1, schema.output().name(), "The largest class has "
                        + Math.round(profile.labels().imbalanceRatio()) + " times the rows of the smallest.");
            }
            for (LabelCount count : counts) {
                if (count.count() < RARE_CLASS) {
                    issues.warnings(Reasons.RARE_CLASS, 1, schema.output().name(), "Label '" + count.label()
                            + "' has only " + count.count() + " rows; it may be missing from some splits.");
                }
            }
        }
        SplitCounts splits = profile.splits();
        if (schema.splitColumn() == null && (options.split().validation() > 0 && splits.validation() == 0
                || options.split().test() > 0 && splits.test() == 0)) {
            issues.warnings(Reasons.EMPTY_SPLIT, 1, null, "Too few rows for every split: " + splits + ".");
        }
        if (profile.leakingRows() > 0) {
            issues.warnings(Reasons.SPLIT_LEAKAGE, profile.leakingRows(), null, profile.leakingRows()
                    + " rows repeat the inputs of a row in another split (conflicting labels or kept duplicates).");
        }
    }

    List<SchemaColumn> schemaColumns() {
        return schema.columns();
    }
}
