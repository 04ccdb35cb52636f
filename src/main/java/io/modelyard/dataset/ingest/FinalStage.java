package io.modelyard.dataset.ingest;

import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.profile.ProfileBuilder;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.split.SplitAssigner;
import io.modelyard.dataset.version.CanonicalFormat;
import io.modelyard.dataset.version.RowIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** The last step of every row that stays: its split, the profile, and the version's CSV. */
final class FinalStage {

    private static final String ALL = "all";
    private static final byte[][] SPLIT_IDS = {"train".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "validation".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        "test".getBytes(java.nio.charset.StandardCharsets.US_ASCII)};
    private byte[][] labelCells = new byte[8][];
    private boolean[] labelQuoted = new boolean[8];

    private final SplitAssigner assigner;
    private final boolean stratify;
    private final ProfileBuilder profile;
    private final CsvWriter csv;
    private final List<ColumnType> types;
    private final RowIndex.Builder index = new RowIndex.Builder();

    FinalStage(Run run, List<ColumnType> types, OutputStream version) throws IOException {
        this.assigner = new SplitAssigner(run.options.split());
        this.stratify = run.classification && run.options.split().stratify();
        this.profile = new ProfileBuilder(run.schema, types);
        this.types = List.copyOf(types);
        this.csv = new CsvWriter(version);
        List<String> header = new ArrayList<>(run.schema.columnNames());
        header.add(CanonicalFormat.SPLIT_COLUMN);
        csv.row(header);
    }

    Split assign(int labelId, String label, Split given) {
        if (given != null) {
            return given;
        }
        return stratify ? assigner.assign(labelId, label) : assigner.assign(0, ALL);
    }

    void write(String[] values, int labelId, Split split, boolean duplicate, boolean leak) throws IOException {
        index.rowStartsAt(csv.position());
        profile.add(values, labelId, split);
        if (duplicate) {
            profile.duplicate();
        }
        if (leak) {
            profile.leak();
        }
        for (String value : values) {
            csv.field(value);
        }
        csv.field(split.id());
        csv.endRow();
    }

    /**
     * A text-classification row whose text is ASCII that needs no normalization, straight from the parser's
     * bytes; {@code scan} is its {@link AsciiText#scan}.
     */
    void writeAsciiText(byte[] b, int from, int to, long scan, String label, int labelId, Split split,
            boolean duplicate, boolean leak) throws IOException {
        index.rowStartsAt(csv.position());
        profile.row(labelId, split);
        profile.text(0, to - from, (int) scan);
        if (duplicate) {
            profile.duplicate();
        }
        if (leak) {
            profile.leak();
        }
        csv.bytesField(b, from, to, (scan & AsciiText.NEEDS_QUOTE) != 0, (scan & AsciiText.HAS_QUOTE_CHAR) != 0);
        byte[] encoded = labelBytes(labelId, label);
        csv.bytesField(encoded, 0, encoded.length, labelQuoted[labelId]);
        byte[] splitId = SPLIT_IDS[split.ordinal()];
        csv.bytesField(splitId, 0, splitId.length, false);
        csv.endRow();
    }

    private byte[] labelBytes(int labelId, String label) {
        if (labelId >= labelCells.length) {
            labelCells = java.util.Arrays.copyOf(labelCells, Math.max(labelId + 1, labelCells.length * 2));
            labelQuoted = java.util.Arrays.copyOf(labelQuoted, labelCells.length);
        }
        byte[] encoded = labelCells[labelId];
        if (encoded == null) {
            encoded = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            labelCells[labelId] = encoded;
            labelQuoted[labelId] = label.indexOf(',') >= 0 || label.indexOf('"') >= 0 || label.indexOf('\n') >= 0
                    || label.indexOf('\r') >= 0;
        }
        return encoded;
    }

    void flush() throws IOException {
        csv.flush();
    }

    ProfileBuilder profile() {
        return profile;
    }

    /** Where every {@link RowIndex#EVERY}-th row starts in the version. */
    RowIndex index() {
        return index.build();
    }

    List<ColumnType> types() {
        return types;
    }
}
