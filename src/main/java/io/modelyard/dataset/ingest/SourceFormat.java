package io.modelyard.dataset.ingest;

import io.modelyard.dataset.format.DatasetFormat;

/**
 * How to read a stored upload again: its format and, for CSV, the delimiter (as declared, or as sniffed on
 * upload; record it with the raw version so a re-clean reads the file the same way).
 */
public record SourceFormat(DatasetFormat format, Character delimiter) {

    public static SourceFormat csv() {
        return new SourceFormat(DatasetFormat.CSV, null);
    }

    public static SourceFormat jsonl() {
        return new SourceFormat(DatasetFormat.JSONL, null);
    }
}
