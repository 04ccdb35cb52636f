package io.modelyard.dataset.version;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.format.Numbers;
import io.modelyard.dataset.profile.ColumnType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads of a version. CSV: RFC 4180 with a header, cells that a spreadsheet would run as a formula
 * prefixed with a single quote. JSON Lines: one object per row, numeric columns as JSON numbers, missing
 * values as {@code null}. Both end every row with the split (column {@code split}) unless told not to.
 */
public final class VersionExporter {

    public static final String SPLIT_FIELD = "split";
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private VersionExporter() {
    }

    /** Streams every row of {@code rows} as CSV; does not close {@code out}. */
    public static long csv(VersionReader rows, OutputStream out, boolean includeSplit,
            CsvWriter.FormulaEscaping escaping) throws IOException {
        CsvWriter csv = new CsvWriter(out, ',', escaping);
        List<String> header = new ArrayList<>(rows.columns());
        if (includeSplit) {
            header.add(SPLIT_FIELD);
        }
        csv.row(header);
        int n = rows.columns().size();
        long count = 0;
        while (rows.next()) {
            for (int i = 0; i < n; i++) {
                csv.field(rows.get(i));
            }
            if (includeSplit) {
                csv.field(rows.split().id());
            }
            csv.endRow();
            count++;
        }
        csv.flush();
        return count;
    }

    /**
     * Streams every row as JSON Lines; does not close {@code out}.
     *
     * @param types one per data column (from the profile); null writes every value as a string
     */
    public static long jsonl(VersionReader rows, List<ColumnType> types, OutputStream out, boolean includeSplit)
            throws IOException {
        List<String> columns = rows.columns();
        long count = 0;
        try (JsonGenerator json = JSON.createGenerator(new NonClosing(out), JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);
            while (rows.next()) {
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    String value = rows.get(i);
                    json.writeFieldName(columns.get(i));
                    if (value.isEmpty()) {
                        json.writeNull();
                    } else if (types != null && types.get(i) == ColumnType.NUMERIC && Numbers.isNumber(value)) {
                        json.writeNumber(value.strip());
                    } else {
                        json.writeString(value);
                    }
                }
                if (includeSplit) {
                    json.writeStringField(SPLIT_FIELD, rows.split().id());
                }
                json.writeEndObject();
                json.writeRaw('\n');
                count++;
            }
        }
        out.flush();
        return count;
    }

    /** Keeps the generator from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {

        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
