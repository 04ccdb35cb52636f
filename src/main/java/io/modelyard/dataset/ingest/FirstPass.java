package io.modelyard.dataset.ingest;

import io.modelyard.dataset.cleaning.CleaningOptions;
import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.format.RecordReader;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.quality.Reasons;
import io.modelyard.dataset.split.Split;
import java.io.IOException;

/**
 * Reads the upload once: validates every row, normalizes its values, drops rows without a label or text
 * and exact duplicates, detects conflicting labels, and either writes the final version directly
 * ({@code finalStage} given: text tasks without conflict dropping) or a candidate for the second pass
 * (tabular tasks, which need whole-column statistics first).
 *
 * <p>Fast path: CSV text that is ASCII and already normalized (the common case) never becomes a String;
 * it is scanned, hashed and copied to the version as the parser's bytes.
 */
final class FirstPass {

    private static final int ABSENT = -1;

    private final Run run;
    private final RecordReader reader;
    private final CsvReader csv;
    private final int[] source;
    private final int splitSource;
    private final String[] values;
    private final RowHash hasher = new RowHash();
    private final LongIntMap seen = new LongIntMap(1 << 16);
    private final long slowPathFlag;
    private static final int LABEL_CACHE = 64;
    private final byte[][] cachedRaw = new byte[LABEL_CACHE][];
    private final String[] cachedLabels = new String[LABEL_CACHE];
    private final int[] cachedIds = new int[LABEL_CACHE];
    private final boolean[] cachedChanged = new boolean[LABEL_CACHE];
    private int cachedCount;

    FirstPass(Run run, RecordReader reader) {
        this.run = run;
        this.reader = reader;
        this.source = run.schemaColumns().stream().mapToInt(c -> c.sourceIndex()).toArray();
        this.splitSource = run.schema.splitSourceIndex();
        this.values = new String[run.columns];
        // The byte fast path needs CSV and a text task; which fields it can take depends on whitespace handling.
        this.csv = run.textTask && reader instanceof CsvReader c ? c : null;
        CleaningOptions.Whitespace whitespace = run.cleaning.whitespace();
        this.slowPathFlag = whitespace == CleaningOptions.Whitespace.COLLAPSE ? AsciiText.NEEDS_COLLAPSE
                : whitespace == CleaningOptions.Whitespace.TRIM ? AsciiText.NEEDS_TRIM : 0;
    }

    /**
     * @param candidate  where rows go for the second pass (values, given split or empty, source row); or null
     * @param finalStage where rows go when this is the only pass; or null
     */
    void run(CsvWriter candidate, FinalStage finalStage) throws IOException {
        final Run r = run;
        final int inputs = r.inputs;
        final int output = r.output;
        final boolean dropDuplicates = r.cleaning.dropDuplicates();
        final int textSource = source[0];
        while (reader.next()) {
            r.rowsRead++;
            long row = reader.row();
            Split given = null;
            if (splitSource >= 0) {
                String value = reader.get(splitSource);
                given = Split.parse(value);
                if (given == null) {
                    r.issues.error(DatasetProblem.INVALID_SPLIT_VALUE, Reasons.INVALID_SPLIT_VALUE, row,
                            r.schema.splitColumn(), "'" + abbreviate(value) + "' is not train, validation or test.");
                    continue;
                }
            }
            int labelId = 0;
            String label;
            int cached = csv == null ? -1 : cachedLabel(source[output]);
            if (cached >= 0) {
                label = cachedLabels[cached];
                labelId = cachedIds[cached];
                if (cachedChanged[cached]) {
                    r.counters.labelNormalized++;
                }
            } else {
                label = r.normalizeLabel(reader.get(source[output]));
            }
            if (label.isEmpty()) {
                r.counters.missingLabel++;
                r.issues.warning(r.classification ? Reasons.MISSING_LABEL : Reasons.MISSING_TARGET, row,
                        r.name(output), "No " + (r.classification ? "label" : "target") + "; the row is left out.");
                continue;
            }
            int token;
            if (r.classification) {
                if (cached < 0) {
                    labelId = r.labels.id(label, row);
                    remember(source[output], label, labelId);
                }
                token = labelId;
            } else {
                double target = Numbers.parse(label);
                if (Double.isNaN(target)) {
                    r.issues.error(DatasetProblem.NON_NUMERIC_TARGET, Reasons.NON_NUMERIC_TARGET, row,
                            r.name(output), "The target '" + abbreviate(label) + "' is not a number.");
                    continue;
                }
                token = Run.regressionToken(target);
            }

            // Inputs: the text as bytes when possible, else every input as a normalized String.
            long scan = -1;
            long input;
            if (csv != null && csv.isAscii(textSource)) {
                long s = AsciiText.scan(csv.bytes(), csv.start(textSource), csv.end(textSource));
                if ((s & slowPathFlag) == 0) {
                    scan = s;
                }
            }
            if (scan >= 0) {
                int from = csv.start(textSource);
                int to = csv.end(textSource);
                if ((int) scan == 0) { // no tokens: empty or only whitespace
                    missingText(row);
                    continue;
                }
                input = RowHash.finish(RowHash.add(RowHash.start(1), csv.bytes(), from, to));
            } else {
                for (int i = 0; i < inputs; i++) {
                    String value = reader.get(source[i]);
                    values[i] = value == null ? "" : r.normalizeInput(i, value);
                }
                if (r.textTask && values[0].isEmpty()) {
                    missingText(row);
                    continue;
                }
                input = hasher.of(values, inputs);
            }
            values[output] = label;
            if (r.issues.hasErrors()) {
                continue; // rejected anyway: only look for more errors
            }

            int existing = seen.get(input, ABSENT);
            boolean duplicate = false;
            if (existing != ABSENT) {
                int first = existing & Run.TOKEN_MASK;
                if (!r.conflicts.contains(input)) {
                    if (first == token) {
                        duplicate = true;
                    } else {
                        r.conflicts.add(input);
                        r.conflictRows.add(RowHash.withToken(input, first));
                        r.conflictRows.add(RowHash.withToken(input, token));
                        r.counters.conflictRows++; // the earlier row is in the conflict too
                        conflict(row, first);
                    }
                } else if (r.conflictRows.add(RowHash.withToken(input, token))) {
                    conflict(row, first);
                } else {
                    duplicate = true;
                }
                if (duplicate) {
                    r.counters.duplicates++;
                    r.issues.warning(Reasons.DUPLICATE_ROW, row, null, dropDuplicates
                            ? "Same as an earlier row; removed." : "Same as an earlier row.");
                    if (dropDuplicates) {
                        continue;
                    }
                }
                r.repeated.add(input);
            }
            r.rowsAccepted++;
            if (r.stats != null) {
                for (int i = 0; i <= output; i++) {
                    r.stats[i].add(values[i]);
                }
            }
            if (finalStage != null) {
                Split split = finalStage.assign(labelId, label, given);
                int bits = split.ordinal() + 1;
                boolean leak = false;
                if (existing == ABSENT) {
                    seen.put(input, token | bits << Run.SPLIT_SHIFT);
                } else {
                    leak = existing >>> Run.SPLIT_SHIFT != bits;
                }
                if (scan >= 0) {
                    finalStage.writeAsciiText(csv.bytes(), csv.start(textSource), csv.end(textSource), scan, label,
                            labelId, split, duplicate, leak);
                } else {
                    finalStage.write(values, labelId, split, duplicate, leak);
                }
            } else {
                if (existing == ABSENT) {
                    seen.put(input, token);
                }
                if (scan >= 0) {
                    values[0] = reader.get(textSource);
                }
                for (int i = 0; i <= output; i++) {
                    candidate.field(values[i]);
                }
                candidate.field(given == null ? "" : given.id());
                candidate.field(Long.toString(row));
                candidate.endRow();
            }
        }
        if (reader.recordsWithIgnoredFields() > 0) {
            r.issues.warnings(Reasons.IGNORED_FIELDS, reader.recordsWithIgnoredFields(), null,
                    reader.recordsWithIgnoredFields() + " rows have keys that the first row does not; "
                            + "they were ignored.");
        }
    }

    /**
     * Labels repeat: the few distinct raw label cells of a CSV are remembered with their normalized label and
     * id, so most rows skip decoding, normalizing and looking up the label. Gives up past 64 distinct cells.
     */
    private int cachedLabel(int column) {
        byte[] b = csv.bytes();
        int from = csv.start(column);
        int length = csv.end(column) - from;
        for (int i = 0; i < cachedCount; i++) {
            byte[] raw = cachedRaw[i];
            if (raw.length == length && java.util.Arrays.equals(raw, 0, length, b, from, from + length)) {
                return i;
            }
        }
        return -1;
    }

    private void remember(int column, String label, int labelId) {
        if (csv == null || cachedCount == LABEL_CACHE) {
            return;
        }
        String raw = csv.get(column);
        cachedRaw[cachedCount] = java.util.Arrays.copyOfRange(csv.bytes(), csv.start(column), csv.end(column));
        cachedLabels[cachedCount] = label;
        cachedIds[cachedCount] = labelId;
        cachedChanged[cachedCount] = !label.equals(raw);
        cachedCount++;
    }

    private void missingText(long row) {
        run.counters.missingText++;
        run.issues.warning(Reasons.MISSING_TEXT, row, run.name(0), "No text; the row is left out.");
    }

    private void conflict(long row, int firstToken) {
        Run r = run;
        r.counters.conflictRows++;
        String message = r.classification
                ? "The same input appears in an earlier row with label '" + abbreviate(r.labels.name(firstToken)) + "'."
                : "The same inputs appear in an earlier row with another target.";
        r.issues.warning(Reasons.CONFLICTING_LABELS, row, r.name(r.output), message);
    }

    static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
