package io.modelyard.dataset.image;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The split an image belongs to, from its folder or the manifest's {@code split} column. */
public enum ImageSplit {
    TRAIN, VALIDATION, TEST;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code train}, {@code validation} (or {@code val}), {@code test}, in any case; empty otherwise. */
    public static Optional<ImageSplit> named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> Optional.of(TRAIN);
            case "validation", "val" -> Optional.of(VALIDATION);
            case "test" -> Optional.of(TEST);
            default -> Optional.empty();
        };
    }
}
