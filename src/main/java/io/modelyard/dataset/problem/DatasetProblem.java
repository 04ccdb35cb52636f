package io.modelyard.dataset.problem;

import io.modelyard.common.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every way a dataset can be refused, with its stable problem type (under
 * {@code https://modelyard.dev/problems/}) and HTTP status. 400: the bytes cannot be read as the declared
 * format. 422: they can, but the content is unusable for the task (or breaks a configured limit).
 *
 * <p>Problems about one place in the file carry {@code row} (1-based record number as a spreadsheet shows
 * it: the CSV header is row 1; for JSON Lines, the line number) and, when known, {@code column}.
 */
public enum DatasetProblem {

    INVALID_UTF8(400, "invalid-utf8", "Invalid UTF-8"),
    NUL_BYTE(400, "nul-byte", "NUL byte in data"),
    MALFORMED_CSV(400, "malformed-csv", "Malformed CSV"),
    MALFORMED_JSONL(400, "malformed-jsonl", "Malformed JSON Lines"),
    INVALID_OPTIONS(400, "invalid-dataset-options", "Invalid dataset options"),
    MALFORMED_ARCHIVE(400, "malformed-archive", "Malformed zip archive"),

    EMPTY_DATASET(422, "empty-dataset", "Empty dataset"),
    MISSING_HEADER(422, "missing-header", "Missing header row"),
    DUPLICATE_COLUMN(422, "duplicate-column", "Duplicate column name"),
    RAGGED_ROW(422, "ragged-row", "Row has the wrong number of fields"),
    FIELD_TOO_LONG(422, "field-too-long", "Field too long"),
    ROW_TOO_LONG(422, "row-too-long", "Row too long"),
    TOO_MANY_COLUMNS(422, "too-many-columns", "Too many columns"),
    TOO_MANY_ROWS(422, "too-many-rows", "Too many rows"),
    TOO_MANY_CLASSES(422, "too-many-classes", "Too many classes"),
    MISSING_COLUMN(422, "missing-column", "Missing column"),
    SINGLE_CLASS(422, "single-class", "Only one class"),
    NON_NUMERIC_TARGET(422, "non-numeric-target", "Non-numeric regression target"),
    INVALID_SPLIT_VALUE(422, "invalid-split-value", "Invalid split value"),
    NO_USABLE_ROWS(422, "no-usable-rows", "No usable rows"),

    // Image archives: each names the offending entry in `entry`.
    ARCHIVE_PATH_TRAVERSAL(422, "archive-path-traversal", "Archive entry path leaves the archive"),
    ARCHIVE_ABSOLUTE_PATH(422, "archive-absolute-path", "Absolute path in archive"),
    ARCHIVE_SYMLINK(422, "archive-symlink", "Symbolic link in archive"),
    ENCRYPTED_ARCHIVE_ENTRY(422, "encrypted-archive-entry", "Encrypted archive entry"),
    UNSUPPORTED_ARCHIVE_COMPRESSION(422, "unsupported-archive-compression", "Unsupported compression method"),
    NESTED_ARCHIVE(422, "nested-archive", "Archive inside the archive"),
    TOO_MANY_ARCHIVE_ENTRIES(422, "too-many-archive-entries", "Too many entries in archive"),
    ARCHIVE_ENTRY_TOO_LARGE(422, "archive-entry-too-large", "Archive entry too large"),
    ARCHIVE_TOO_LARGE(422, "archive-too-large", "Archive too large when uncompressed"),
    COMPRESSION_RATIO_TOO_HIGH(422, "compression-ratio-too-high", "Compression ratio too high"),
    IMAGE_TOO_LARGE(422, "image-too-large", "Image has too many pixels"),
    NOT_AN_IMAGE(422, "not-an-image", "Not an image"),
    UNDECODABLE_IMAGE(422, "undecodable-image", "Image does not decode"),
    UNLABELLED_IMAGE(422, "unlabelled-image", "Image without a label"),
    IMAGE_NOT_IN_MANIFEST(422, "image-not-in-manifest", "Image not named in labels.csv"),
    MANIFEST_NAMES_MISSING_FILE(422, "manifest-names-missing-file", "labels.csv names a missing file");

    private final int status;
    private final String type;
    private final String title;

    DatasetProblem(int status, String type, String title) {
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The stable slug clients switch on. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public ProblemException problem(String detail) {
        return problem(detail, Map.of());
    }

    public ProblemException problem(String detail, Map<String, Object> extensions) {
        return new ProblemException(status, type, title, detail, extensions, Map.of());
    }

    /** A problem at one row (and column, when not null) of the file. */
    public ProblemException at(long row, String column, String detail) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("row", row);
        if (column != null) {
            extensions.put("column", column);
        }
        return problem(detail, extensions);
    }

    /** A configured limit was exceeded: {@code limit} names the setting, {@code max} its value. */
    public ProblemException limit(long row, String column, String limitName, long max, String detail) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        if (row > 0) {
            extensions.put("row", row);
        }
        if (column != null) {
            extensions.put("column", column);
        }
        extensions.put("limit", limitName);
        extensions.put("max", max);
        return problem(detail, extensions);
    }

    /** A problem with one entry of an archive: {@code entry} is its path inside the archive. */
    public ProblemException inEntry(String entry, String detail) {
        return problem(detail, Map.of("entry", entry));
    }

    /** A configured limit exceeded by (or at) one archive entry. */
    public ProblemException limitInEntry(String entry, String limitName, long max, String detail) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("entry", entry);
        extensions.put("limit", limitName);
        extensions.put("max", max);
        return problem(detail, extensions);
    }

    /** Finds the constant for a problem type slug; for tests and callers that switch on the slug. */
    public static DatasetProblem ofType(String type) {
        for (DatasetProblem problem : values()) {
            if (problem.type.equals(type)) {
                return problem;
            }
        }
        throw new IllegalArgumentException("Unknown dataset problem type " + type);
    }
}
