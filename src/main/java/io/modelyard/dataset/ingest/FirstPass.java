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
import java.util.Arrays;

/**
 * Reads the upload once: validates every row, normalizes its values, drops rows without a label or text
 * and exact duplicates, detects conflicting labels, and either writes the final version directly
 * ({@code finalStage} given: text tasks without conflict dropping) or a candidate for the second pass
 * (tabular tasks, which need whole-column statistics first).
 *
 * <p>Rows go in batches through two threads: the caller reads, validates, normalizes and hashes a batch
 * while a second thread takes the previous one, probes the duplicate table for all of it at once, and
 * decides, splits, profiles and writes each row. CSV text that is ASCII and already normalized (the common
 * case) never becomes a String: it is scanned, hashed and copied to the version as bytes.
 *
 * <p>Threads: {@link #read()} and the label cache belong to the caller; {@link #accept} and everything it
 * touches (duplicate table, conflict sets, stats, the final stage) to the consumer. The issue collector is
 * shared (thread-safe); the two threads count different cleaning counters.
 */
final class FirstPass {

    private static final int ABSENT = -1;
    private static final int LABEL_CACHE = 64;
    private static final int PROBE_GROUP = 64;

    private final Run run;
    private final RecordReader reader;
    private final CsvReader csv;
    private final int[] source;
    private final int splitSource;
    private final RowHash hasher = new RowHash();
    private final LongIntMap seen = new LongIntMap(1 << 16);
    private String[] labelNames = new String[8];
    private final long slowPathFlag;
    private final byte[][] cachedRaw = new byte[LABEL_CACHE][];
    private final String[] cachedLabels = new String[LABEL_CACHE];
    private final int[] cachedIds = new int[LABEL_CACHE];
    private final boolean[] cachedChanged = new boolean[LABEL_CACHE];
    private int cachedCount;
    private long touched;

    private CsvWriter candidate;
    private FinalStage finalStage;

    FirstPass(Run run, RecordReader reader) {
        this.run = run;
        this.reader = reader;
        this.source = run.schemaColumns().stream().mapToInt(c -> c.sourceIndex()).toArray();
        this.splitSource = run.schema.splitSourceIndex();
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
        this.candidate = candidate;
        this.finalStage = finalStage;
        try (BatchPipe pipe = new BatchPipe(run.columns, this::consume, "ingest-rows")) {
            while (reader.next()) {
                read(pipe.current());
                if (pipe.current().full()) {
                    pipe.handOff();
                }
            }
            pipe.finish();
        }
        if (reader.recordsWithIgnoredFields() > 0) {
            run.issues.warnings(Reasons.IGNORED_FIELDS, reader.recordsWithIgnoredFields(), null,
                    reader.recordsWithIgnoredFields() + " rows have keys that the first row does not; "
                            + "they were ignored.");
        }
    }

    /** Validates and normalizes the current record into {@code batch}, or drops it with an issue. */
    private void read(RowBatch batch) {
        final Run r = run;
        final int output = r.output;
        r.rowsRead++;
        long row = reader.row();
        Split given = null;
        if (splitSource >= 0) {
            String value = reader.get(splitSource);
            given = Split.parse(value);
            if (given == null) {
                r.issues.error(DatasetProblem.INVALID_SPLIT_VALUE, Reasons.INVALID_SPLIT_VALUE, row,
                        r.schema.splitColumn(), "'" + abbreviate(value) + "' is not train, validation or test.");
                return;
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
            return;
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
                return;
            }
            token = Run.regressionToken(target);
        }

        int i = batch.count;
        long scan = -1;
        int textSource = source[0];
        if (csv != null && csv.isAscii(textSource)) {
            long s = AsciiText.scan(csv.bytes(), csv.start(textSource), csv.end(textSource));
            if ((s & slowPathFlag) == 0) {
                scan = s;
            }
        }
        String[] values = batch.values[i];
        long input;
        if (scan >= 0) {
            if ((int) scan == 0) { // no tokens: empty or only whitespace
                missingText(row);
                return;
            }
            int from = csv.start(textSource);
            int to = csv.end(textSource);
            input = RowHash.finish(RowHash.add(RowHash.start(1), csv.bytes(), from, to));
            if (candidate == null) {
                batch.text(i, csv.bytes(), from, to);
            } else {
                values[0] = reader.get(textSource);
                batch.weigh(to - from);
            }
        } else {
            long length = 0;
            for (int c = 0; c < r.inputs; c++) {
                String value = reader.get(source[c]);
                values[c] = value == null ? "" : r.normalizeInput(c, value);
                length += values[c].length();
            }
            if (r.textTask && values[0].isEmpty()) {
                missingText(row);
                return;
            }
            input = hasher.of(values, r.inputs);
            batch.weigh(length);
        }
        if (r.issues.hasErrors()) {
            return; // rejected anyway: only look for more errors
        }
        values[output] = label;
        batch.row[i] = row;
        batch.input[i] = input;
        batch.scan[i] = scan;
        batch.labelId[i] = labelId;
        batch.token[i] = token;
        batch.label[i] = label;
        batch.given[i] = given;
        batch.count++;
    }

    /**
     * On the consumer thread: probe the duplicate table for 64 rows at once (their slots then sit in cache),
     * then each of those rows goes on.
     */
    private void consume(RowBatch batch) throws IOException {
        for (int from = 0; from < batch.count; from += PROBE_GROUP) {
            int to = Math.min(batch.count, from + PROBE_GROUP);
            touched += seen.touch(batch.input, from, to);
            for (int i = from; i < to; i++) {
                accept(batch, i);
            }
        }
    }

    private void accept(RowBatch batch, int i) throws IOException {
        final Run r = run;
        long row = batch.row[i];
        long input = batch.input[i];
        int token = batch.token[i];
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
                boolean drop = r.cleaning.dropDuplicates();
                r.issues.warning(Reasons.DUPLICATE_ROW, row, null, drop
                        ? "Same as an earlier row; removed." : "Same as an earlier row.");
                if (drop) {
                    return;
                }
            }
            r.repeated.add(input);
        }
        r.rowsAccepted++;
        if (r.classification) {
            rememberName(batch.labelId[i], batch.label[i]);
        }
        String[] values = batch.values[i];
        if (r.stats != null) {
            for (int c = 0; c <= r.output; c++) {
                r.stats[c].add(values[c]);
            }
        }
        Split given = batch.given[i];
        if (finalStage != null) {
            int labelId = batch.labelId[i];
            String label = batch.label[i];
            Split split = finalStage.assign(labelId, label, given);
            int bits = split.ordinal() + 1;
            boolean leak = false;
            if (existing == ABSENT) {
                seen.put(input, token | bits << Run.SPLIT_SHIFT);
            } else {
                leak = existing >>> Run.SPLIT_SHIFT != bits;
            }
            long scan = batch.scan[i];
            if (scan >= 0) {
                finalStage.writeAsciiText(batch.arena, batch.from[i], batch.to[i], scan, label, labelId, split,
                        duplicate, leak);
            } else {
                finalStage.write(values, labelId, split, duplicate, leak);
            }
        } else {
            if (existing == ABSENT) {
                seen.put(input, token);
            }
            for (int c = 0; c <= r.output; c++) {
                candidate.field(values[c]);
            }
            candidate.field(given == null ? "" : given.id());
            candidate.field(Long.toString(row));
            candidate.endRow();
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
            if (raw.length == length && Arrays.equals(raw, 0, length, b, from, from + length)) {
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
        cachedRaw[cachedCount] = Arrays.copyOfRange(csv.bytes(), csv.start(column), csv.end(column));
        cachedLabels[cachedCount] = label;
        cachedIds[cachedCount] = labelId;
        cachedChanged[cachedCount] = !label.equals(raw);
        cachedCount++;
    }

    /** The consumer's own copy of label names, for conflict messages (the caller's index keeps growing). */
    private void rememberName(int labelId, String label) {
        if (labelId >= labelNames.length) {
            labelNames = Arrays.copyOf(labelNames, Math.max(labelId + 1, labelNames.length * 2));
        }
        labelNames[labelId] = label;
    }

    private void missingText(long row) {
        run.counters.missingText++;
        run.issues.warning(Reasons.MISSING_TEXT, row, run.name(0), "No text; the row is left out.");
    }

    private void conflict(long row, int firstToken) {
        Run r = run;
        r.counters.conflictRows++;
        String message = r.classification
                ? "The same input appears in an earlier row with label '" + abbreviate(labelNames[firstToken]) + "'."
                : "The same inputs appear in an earlier row with another target.";
        r.issues.warning(Reasons.CONFLICTING_LABELS, row, r.name(r.output), message);
    }

    /** What {@link LongIntMap#touch} read; only there so the reads are not optimized away. */
    long touched() {
        return touched;
    }

    static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
