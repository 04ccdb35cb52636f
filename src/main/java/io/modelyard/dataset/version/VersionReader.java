package io.modelyard.dataset.version;

import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.split.Split;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a processed version (see {@link CanonicalFormat}) row by row with each row's split; what training
 * and the download and paging endpoints use. Reading to the end verifies the blob's SHA-256 (a
 * {@link io.modelyard.storage.BlobIntegrityException} if it was altered). Not thread-safe.
 *
 * <pre>{@code
 * try (VersionReader rows = VersionReader.open(store, version)) {
 *     while (rows.next()) {
 *         String text = rows.get(0);
 *         String label = rows.get(1);
 *         if (rows.split() == Split.TRAIN) { ... }
 *     }
 * }
 * }</pre>
 */
public final class VersionReader implements AutoCloseable {

    /** Versions were written within the upload limits; these only guard against a damaged blob. */
    private static final ParseLimits LIMITS = new ParseLimits(64 << 20, 256 << 20, 100_000, Long.MAX_VALUE);

    private final CsvReader reader;
    private final List<String> columns;
    private final int splitIndex;
    private long index = -1;

    public VersionReader(InputStream in) throws IOException {
        this.reader = new CsvReader(in, ',', LIMITS);
        List<String> header = reader.header();
        this.splitIndex = header.size() - 1;
        if (splitIndex < 1 || !header.get(splitIndex).equals(CanonicalFormat.SPLIT_COLUMN)) {
            reader.close();
            throw new IOException("Not a processed dataset version: the last column is not "
                    + CanonicalFormat.SPLIT_COLUMN);
        }
        this.columns = List.copyOf(header.subList(0, splitIndex));
    }

    /** Opens {@code version} in {@code store}, verifying its SHA-256 at the end. */
    public static VersionReader open(BlobStore store, BlobInfo version) {
        InputStream in = store.open(version.key(), version.sha256());
        try {
            return new VersionReader(in);
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException(e);
        }
    }

    /** The data columns (schema order), without the split. */
    public List<String> columns() {
        return columns;
    }

    public boolean next() throws IOException {
        if (!reader.next()) {
            return false;
        }
        index++;
        if (split() == null) {
            throw new IOException("Row " + index + " of the version has no valid split");
        }
        return true;
    }

    /** Value of data column {@code column} of the current row; empty when missing. */
    public String get(int column) {
        if (column >= splitIndex) {
            throw new IndexOutOfBoundsException(column);
        }
        return reader.get(column);
    }

    public Split split() {
        return Split.parse(reader.get(splitIndex));
    }

    /** 0-based position of the current row. */
    public long index() {
        return index;
    }

    public VersionRow row() {
        String[] values = new String[splitIndex];
        for (int i = 0; i < splitIndex; i++) {
            values[i] = reader.get(i);
        }
        return new VersionRow(index, Arrays.asList(values), split());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /**
     * Rows {@code offset .. offset+limit-1}. With a row index, reads the header and then from the nearest indexed
     * row at or before {@code offset}; without one (versions made before indexes), from the start. A page stops
     * reading early and so does not verify the digest.
     */
    public static RowPage page(BlobStore store, BlobInfo version, RowIndex index, long offset, int limit)
            throws IOException {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        InputStream in;
        long first = 0;
        if (index.isEmpty()) {
            in = store.open(version.key(), null);
        } else {
            long[] nearest = index.nearest(offset);
            first = nearest[0];
            in = new SequenceInputStream(store.openRange(version.key(), 0, index.headerBytes()),
                    store.openRange(version.key(), nearest[1], -1));
        }
        try (VersionReader rows = new VersionReader(in)) {
            rows.index = first - 1;
            List<VersionRow> page = new ArrayList<>(limit);
            boolean more = false;
            while (rows.next()) {
                if (rows.index() < offset) {
                    continue;
                }
                if (page.size() == limit) {
                    more = true;
                    break;
                }
                page.add(rows.row());
            }
            return new RowPage(rows.columns(), offset, limit, page, more);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
