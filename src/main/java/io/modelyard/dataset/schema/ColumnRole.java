package io.modelyard.dataset.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The part a column plays in a processed version. */
public enum ColumnRole {
    TEXT, FEATURE, LABEL, TARGET;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column a model learns to predict. */
    public boolean isOutput() {
        return this == LABEL || this == TARGET;
    }
}
