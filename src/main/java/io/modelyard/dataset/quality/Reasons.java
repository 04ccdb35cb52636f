package io.modelyard.dataset.quality;

/** The stable reason codes of {@link Issue}s. */
public final class Reasons {

    // Errors: the dataset is rejected (422) and the rows are listed.
    public static final String NON_NUMERIC_TARGET = "non_numeric_target";
    public static final String INVALID_SPLIT_VALUE = "invalid_split_value";

    // Warnings about rows: the row is dropped or changed, the dataset stays usable.
    public static final String MISSING_LABEL = "missing_label";
    public static final String MISSING_TARGET = "missing_target";
    public static final String MISSING_TEXT = "missing_text";
    public static final String DUPLICATE_ROW = "duplicate_row";
    public static final String CONFLICTING_LABELS = "conflicting_labels";
    public static final String IGNORED_FIELDS = "ignored_fields";

    // Warnings about the whole dataset or a column.
    public static final String UNNAMED_COLUMN = "unnamed_column";
    public static final String CLASS_IMBALANCE = "class_imbalance";
    public static final String RARE_CLASS = "rare_class";
    public static final String MOSTLY_MISSING = "mostly_missing_column";
    public static final String CONSTANT_COLUMN = "constant_column";
    public static final String NON_NUMERIC_VALUES = "non_numeric_values";
    public static final String SPLIT_LEAKAGE = "split_leakage";
    public static final String EMPTY_SPLIT = "empty_split";

    private Reasons() {
    }
}
