package io.modelyard.dataset.split;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The three splits of a processed version. */
public enum Split {
    TRAIN("train"), VALIDATION("validation"), TEST("test");

    private static final Split[] VALUES = values();
    private final String id;

    Split(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public static Split ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /**
     * A tenant's split value: {@code train}/{@code training}, {@code validation}/{@code val}/{@code valid}/
     * {@code dev}, {@code test}/{@code testing}, any case, surrounding spaces ignored. Null when not one of them.
     */
    public static Split parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "validation", "val", "valid", "dev" -> VALIDATION;
            case "test", "testing" -> TEST;
            default -> null;
        };
    }
}
