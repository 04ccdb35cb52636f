package io.modelyard.model.spec;

import java.util.Objects;

/** One input column of a tabular model. */
public record FeatureColumn(String name, FeatureKind kind) {

    public FeatureColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    public static FeatureColumn numeric(String name) {
        return new FeatureColumn(name, FeatureKind.NUMERIC);
    }

    public static FeatureColumn categorical(String name) {
        return new FeatureColumn(name, FeatureKind.CATEGORICAL);
    }
}
