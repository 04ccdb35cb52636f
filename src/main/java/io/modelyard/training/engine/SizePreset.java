package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/** A starting point for hyperparameters; explicit values override it (see {@link Hyperparameters#preset}). */
public enum SizePreset {
    SMALL, BASE, LARGE;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static SizePreset fromWire(String value) {
        return WireNames.parse(SizePreset.class, value);
    }
}
