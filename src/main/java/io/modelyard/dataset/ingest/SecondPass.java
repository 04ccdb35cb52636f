package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.cleaning.CleaningOptions.MissingStrategy;
import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.split.Split;
import java.io.IOException;

/**
 * Reads the first pass's candidate and applies what needed the whole dataset: dropping conflicting rows,
 * values that are not numbers in numeric columns, missing values (drop, impute, keep) and outliers (keep,
 * clip, drop); then splits, profiles and writes the version.
 */
final class SecondPass {

    private final Run run;
    private final Decisions decisions;
    private final FinalStage finalStage;
    private final String[] values;
    private final LongIntMap firstSplit = new LongIntMap(16);
    private final LongSet rowsSeen = new LongSet();
    private final RowHash hasher = new RowHash();

    SecondPass(Run run, Decisions decisions, FinalStage finalStage) {
        this.run = run;
        this.decisions = decisions;
        this.finalStage = finalStage;
        this.values = new String[run.columns];
    }

    void run(CsvReader candidate) throws IOException {
        final Run r = run;
        final int n = r.columns;
        final boolean dropConflicts = r.cleaning.conflicts() == CleaningOptions.ConflictAction.DROP;
        while (candidate.next()) {
            for (int i = 0; i < n; i++) {
                values[i] = candidate.get(i);
            }
            Split given = Split.parse(candidate.get(n));
            long row = Long.parseLong(candidate.get(n + 1));
            long input = hasher.of(values, r.inputs);
            if (dropConflicts && r.conflicts.contains(input)) {
                r.counters.conflictRowsDropped++;
                continue;
            }
            if (!r.textTask && !clean(row)) {
                continue;
            }
            String label = values[r.output];
            int labelId = r.classification ? r.labels.existing(label) : 0;
            Split split = finalStage.assign(labelId, label, given);
            boolean duplicate = false;
            boolean leak = false;
            if (r.repeated.contains(input)) {
                int first = firstSplit.get(input, -1);
                if (first < 0) {
                    firstSplit.put(input, split.ordinal());
                } else {
                    leak = first != split.ordinal();
                }
                int token = r.classification ? labelId : Run.regressionToken(Numbers.parse(label));
                duplicate = !rowsSeen.add(RowHash.withToken(input, token));
            }
            finalStage.write(values, labelId, split, duplicate, leak);
        }
    }

    /** Applies the column decisions to the row in {@code values}; false when the row is dropped. */
    private boolean clean(long row) {
        Run r = run;
        Decisions d = decisions;
        for (int i = 0; i <= r.output; i++) {
            boolean target = i == r.output;
            if (target && (r.classification || !d.hasBounds(i))) {
                continue;
            }
            String value = values[i];
            double x = Double.NaN;
            if (d.types[i] == ColumnType.NUMERIC && !value.isEmpty()) {
                x = Numbers.parse(value);
                if (Double.isNaN(x)) {
                    r.counters.nonNumeric[i]++;
                    r.issues.warning(Reasons.NON_NUMERIC_VALUES, row, r.name(i), "'" + FirstPass.abbreviate(value)
                            + "' is not a number in a numeric column; treated as missing.");
                    value = "";
                }
            }
            if (value.isEmpty()) {
                MissingStrategy strategy = d.missing[i];
                if (strategy == MissingStrategy.DROP_ROW) {
                    r.counters.missingDropped[i]++;
                    return false;
                }
                if (strategy == MissingStrategy.KEEP || d.impute[i] == null) {
                    r.counters.missingKept[i]++;
                } else {
                    value = d.impute[i];
                    r.counters.missingImputed[i]++;
                }
            } else if (d.hasBounds(i) && (x < d.low[i] || x > d.high[i])) {
                r.counters.outliers[i]++;
                switch (r.cleaning.outliers().action()) {
                    case KEEP -> {
                    }
                    case CLIP -> {
                        value = Numbers.format(Math.max(d.low[i], Math.min(d.high[i], x)));
                        r.counters.outliersClipped[i]++;
                    }
                    case DROP -> {
                        r.counters.outliersDropped[i]++;
                        return false;
                    }
                }
            }
            values[i] = value;
        }
        return true;
    }
}
