package io.modelyard.dataset.quality;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An error rejects the dataset; a warning leaves it usable and is listed in the report. */
public enum Severity {
    ERROR, WARNING;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
