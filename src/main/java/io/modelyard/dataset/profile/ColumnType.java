package io.modelyard.dataset.profile;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The inferred type of a column. */
public enum ColumnType {
    NUMERIC, CATEGORICAL, TEXT;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
