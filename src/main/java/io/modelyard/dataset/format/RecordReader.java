package io.modelyard.dataset.format;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Streams the records of a dataset file one at a time, after its header. The current record's fields are
 * valid until the next call to {@link #next()}. Every structural defect (invalid UTF-8, NUL bytes, ragged
 * rows, broken quoting, limits) is thrown as a {@link io.modelyard.common.ProblemException} of
 * {@link io.modelyard.dataset.problem.DatasetProblem} naming the row.
 */
public interface RecordReader extends Closeable {

    /** Column names, in file order. */
    List<String> header();

    /** Advances to the next data record; false at the end of the input. */
    boolean next() throws IOException;

    /**
     * Field {@code column} of the current record: the text of a CSV cell (never null), or of a JSON value
     * (null when the key is absent or the value is JSON {@code null}).
     */
    String get(int column);

    /** Row number of the current record as a user finds it: CSV header is row 1; JSON Lines: the line. */
    long row();

    /** Data records returned so far. */
    long records();

    /**
     * Data records that had fields not in the header and were ignored (JSON Lines objects with extra keys).
     */
    default long recordsWithIgnoredFields() {
        return 0;
    }
}
