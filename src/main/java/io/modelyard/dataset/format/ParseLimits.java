package io.modelyard.dataset.format;

/**
 * What one upload may contain, checked while parsing so an oversized input is refused as soon as the limit
 * is crossed. Lengths are UTF-8 bytes.
 *
 * @param maxFieldBytes one field (one CSV cell, one JSON value); default 1 MiB
 * @param maxRowBytes   one record (all its fields); default 8 MiB
 * @param maxColumns    columns in the header; default 1,000
 * @param maxRows       data rows (header excluded); default 2,000,000
 */
public record ParseLimits(int maxFieldBytes, int maxRowBytes, int maxColumns, long maxRows) {

    public static final ParseLimits DEFAULTS = new ParseLimits(1 << 20, 8 << 20, 1000, 2_000_000);

    public ParseLimits {
        if (maxFieldBytes < 1 || maxRowBytes < maxFieldBytes || maxColumns < 1 || maxRows < 1) {
            throw new IllegalArgumentException("Invalid parse limits: " + maxFieldBytes + ", " + maxRowBytes + ", "
                    + maxColumns + ", " + maxRows);
        }
    }

    public ParseLimits withMaxFieldBytes(int value) {
        return new ParseLimits(value, Math.max(maxRowBytes, value), maxColumns, maxRows);
    }

    public ParseLimits withMaxColumns(int value) {
        return new ParseLimits(maxFieldBytes, maxRowBytes, value, maxRows);
    }

    public ParseLimits withMaxRows(long value) {
        return new ParseLimits(maxFieldBytes, maxRowBytes, maxColumns, value);
    }
}
