package io.modelyard.dataset.version;

/**
 * The stored form of a processed version, which training reads back row by row:
 *
 * <ul>
 * <li>CSV per RFC 4180, UTF-8 without BOM, LF line ends, comma delimiter, a header row;</li>
 * <li>the columns of the {@link io.modelyard.dataset.schema.DatasetSchema} in its order (inputs, then the
 * label or target), named as in the upload, then {@value #SPLIT_COLUMN} holding {@code train},
 * {@code validation} or {@code test};</li>
 * <li>values are the cleaned text exactly (no formula escaping); an empty field is a missing value;</li>
 * <li>rows keep the order of the upload.</li>
 * </ul>
 *
 * Any CSV tool reads it; {@link VersionReader} reads it with its splits.
 */
public final class CanonicalFormat {

    public static final String SPLIT_COLUMN = "__split";
    public static final String MEDIA_TYPE = "text/csv; charset=utf-8";

    private CanonicalFormat() {
    }
}
