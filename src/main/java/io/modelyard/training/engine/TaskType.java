package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a model learns to predict. Serialized in lowercase ({@code text_classification}). */
public enum TaskType {
    /** A label from free text (sentiment, intent, topic). */
    TEXT_CLASSIFICATION,
    /** A label from numeric and categorical columns. */
    TABULAR_CLASSIFICATION,
    /** A number from numeric and categorical columns. */
    TABULAR_REGRESSION;

    public boolean isClassification() {
        return this != TABULAR_REGRESSION;
    }

    public boolean isText() {
        return this == TEXT_CLASSIFICATION;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static TaskType fromWire(String value) {
        return WireNames.parse(TaskType.class, value);
    }
}
