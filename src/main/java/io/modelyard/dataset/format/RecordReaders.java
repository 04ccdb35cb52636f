package io.modelyard.dataset.format;

import java.io.IOException;
import java.io.InputStream;

/** Opens the reader for a format. */
public final class RecordReaders {

    private RecordReaders() {
    }

    /**
     * @param delimiter for CSV: the declared delimiter, or null to sniff it; ignored for JSON Lines
     */
    public static RecordReader open(InputStream in, DatasetFormat format, Character delimiter, ParseLimits limits)
            throws IOException {
        return switch (format) {
            case CSV -> new CsvReader(in, delimiter, limits);
            case JSONL -> new JsonLinesReader(in, limits);
        };
    }
}
