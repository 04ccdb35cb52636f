package io.modelyard.dataset.profile;

import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.schema.DatasetSchema;
import io.modelyard.dataset.schema.SchemaColumn;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.split.SplitCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a {@link DatasetProfile} from the rows of a version as they are written. Memory is bounded: numeric
 * quantile samples share a budget of {@value #NUMERIC_BUDGET} values and category counts one of
 * {@value #CATEGORY_BUDGET} distinct values across all columns.
 */
public final class ProfileBuilder {

    static final int NUMERIC_BUDGET = 4_000_000;
    static final int CATEGORY_BUDGET = 200_000;
    private static final int TOP_VALUES = 10;

    private final DatasetSchema schema;
    private final List<ColumnType> types;
    private final long[] missing;
    private final NumericAccumulator[] numeric;
    private final CategoryCounter[] categories;
    private final LengthHistogram[] characters;
    private final LengthHistogram[] tokens;
    private final boolean classification;
    private long[][] labelSplits = new long[8][];
    private final long[] splits = new long[3];
    private long rows;
    private long duplicates;
    private long leaks;

    /** @param types one per schema column */
    public ProfileBuilder(DatasetSchema schema, List<ColumnType> types) {
        this.schema = schema;
        this.types = List.copyOf(types);
        int n = schema.columns().size();
        this.missing = new long[n];
        this.numeric = new NumericAccumulator[n];
        this.categories = new CategoryCounter[n];
        this.characters = new LengthHistogram[n];
        this.tokens = new LengthHistogram[n];
        this.classification = schema.task().isClassification();
        long numericColumns = types.stream().filter(t -> t == ColumnType.NUMERIC).count();
        long categoricalColumns = types.stream().filter(t -> t == ColumnType.CATEGORICAL).count();
        int numericLimit = (int) Math.min(NumericAccumulator.EXACT_LIMIT, NUMERIC_BUDGET / Math.max(1, numericColumns));
        int categoryLimit = (int) Math.min(CategoryCounter.DEFAULT_LIMIT,
                Math.max(100, CATEGORY_BUDGET / Math.max(1, categoricalColumns)));
        for (int i = 0; i < n; i++) {
            boolean label = classification && i == schema.outputIndex();
            switch (types.get(i)) {
                case NUMERIC -> numeric[i] = new NumericAccumulator(numericLimit, 0x5EED + i);
                case CATEGORICAL -> categories[i] = label ? null : new CategoryCounter(categoryLimit);
                case TEXT -> {
                    characters[i] = new LengthHistogram();
                    tokens[i] = new LengthHistogram();
                }
            }
        }
    }

    /**
     * One row of the version.
     *
     * @param values  one per schema column; empty means missing
     * @param labelId classification: the label's id (see {@link #build(List)}); otherwise ignored
     */
    public void add(String[] values, int labelId, Split split) {
        row(labelId, split);
        for (int i = 0; i < values.length; i++) {
            value(i, values[i]);
        }
    }

    /** Starts a row: counts it for its split and label. Its values follow through {@link #value} or {@link #text}. */
    public void row(int labelId, Split split) {
        rows++;
        splits[split.ordinal()]++;
        if (classification) {
            if (labelId >= labelSplits.length) {
                labelSplits = Arrays.copyOf(labelSplits, Math.max(labelId + 1, labelSplits.length * 2));
            }
            long[] counts = labelSplits[labelId];
            if (counts == null) {
                counts = labelSplits[labelId] = new long[3];
            }
            counts[split.ordinal()]++;
        }
    }

    /** One value of the current row; empty means missing. */
    public void value(int column, String value) {
        if (value.isEmpty()) {
            missing[column]++;
            return;
        }
        if (numeric[column] != null) {
            double x = Numbers.parse(value);
            if (Double.isNaN(x)) {
                missing[column]++;
            } else {
                numeric[column].add(x);
            }
        } else if (categories[column] != null) {
            categories[column].add(value);
        } else if (characters[column] != null) {
            long scan = scan(value);
            text(column, (int) (scan >>> 32), (int) scan);
        }
    }

    /** A text value of the current row given by its length in characters and tokens (0 characters: missing). */
    public void text(int column, int characterCount, int tokenCount) {
        if (characterCount == 0) {
            missing[column]++;
            return;
        }
        characters[column].add(characterCount);
        tokens[column].add(tokenCount);
    }

    /** The row just added repeats an earlier row. */
    public void duplicate() {
        duplicates++;
    }

    /** The row just added has the inputs of an earlier row in another split. */
    public void leak() {
        leaks++;
    }

    public long rows() {
        return rows;
    }

    /** Labels with at least one row. */
    public int labelsPresent() {
        int present = 0;
        for (long[] counts : labelSplits) {
            if (counts != null && counts[0] + counts[1] + counts[2] > 0) {
                present++;
            }
        }
        return present;
    }

    /** @param labelNames classification: names by label id */
    public DatasetProfile build(List<String> labelNames) {
        List<ColumnProfile> columns = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            SchemaColumn column = schema.columns().get(i);
            NumericSummary numericSummary = numeric[i] == null ? null : numeric[i].summary();
            CategoricalSummary categorical = categories[i] == null ? null : categories[i].summary(TOP_VALUES);
            if (classification && i == schema.outputIndex()) {
                categorical = labelSummary(labelNames);
            }
            TextSummary text = characters[i] == null || characters[i].count() == 0 ? null
                    : new TextSummary(characters[i].summary(), tokens[i].summary());
            columns.add(new ColumnProfile(column.name(), column.role(), types.get(i), missing[i], numericSummary,
                    categorical, text));
        }
        LabelDistribution labels = classification ? labels(labelNames) : null;
        return new DatasetProfile(rows, schema.columns().size(), columns, labels, duplicates, leaks,
                SplitCounts.of(splits));
    }

    private CategoricalSummary labelSummary(List<String> names) {
        List<ValueCount> counts = new ArrayList<>();
        for (int id = 0; id < labelSplits.length && id < names.size(); id++) {
            long[] c = labelSplits[id];
            if (c != null && c[0] + c[1] + c[2] > 0) {
                counts.add(new ValueCount(names.get(id), c[0] + c[1] + c[2]));
            }
        }
        counts.sort(Comparator.comparingLong(ValueCount::count).reversed().thenComparing(ValueCount::value));
        return new CategoricalSummary(counts.size(), false, List.copyOf(counts.subList(0,
                Math.min(TOP_VALUES, counts.size()))));
    }

    private LabelDistribution labels(List<String> names) {
        List<LabelCount> counts = new ArrayList<>();
        long largest = 0;
        long smallest = Long.MAX_VALUE;
        for (int id = 0; id < labelSplits.length && id < names.size(); id++) {
            long[] c = labelSplits[id];
            if (c == null) {
                continue;
            }
            long total = c[0] + c[1] + c[2];
            if (total == 0) {
                continue;
            }
            largest = Math.max(largest, total);
            smallest = Math.min(smallest, total);
            counts.add(new LabelCount(names.get(id), total, rows == 0 ? 0 : (double) total / rows, c[0], c[1], c[2]));
        }
        counts.sort(Comparator.comparingLong(LabelCount::count).reversed().thenComparing(LabelCount::label));
        double ratio = counts.isEmpty() ? 0 : (double) largest / smallest;
        return new LabelDistribution(counts, ratio);
    }

    /** Code points (high 32 bits) and whitespace-separated tokens (low 32 bits) of {@code s}. */
    static long scan(String s) {
        int n = s.length();
        int codePoints = n;
        int tokenCount = 0;
        boolean inToken = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
                codePoints--;
            }
            boolean space = c <= ' ' || (c >= 0x7F && io.modelyard.dataset.cleaning.ValueNormalizer.isSpace(c));
            if (!space && !inToken) {
                tokenCount++;
            }
            inToken = !space;
        }
        return ((long) codePoints << 32) | tokenCount;
    }
}
