package io.modelyard.model.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a tabular column is read: a number (standardised) or a category (one-hot). */
public enum FeatureKind {
    NUMERIC, CATEGORICAL;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static FeatureKind fromWire(String value) {
        return WireNames.parse(FeatureKind.class, value);
    }
}
