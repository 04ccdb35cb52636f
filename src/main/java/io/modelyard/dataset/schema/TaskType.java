package io.modelyard.dataset.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.dataset.problem.DatasetProblem;

/** What a dataset is for; decides which columns it needs. */
public enum TaskType {
    /** A text column and a label column. */
    TEXT_CLASSIFICATION("text_classification"),
    /** Feature columns and a categorical target. */
    TABULAR_CLASSIFICATION("tabular_classification"),
    /** Feature columns and a numeric target. */
    TABULAR_REGRESSION("tabular_regression");

    private final String id;

    TaskType(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    public boolean isClassification() {
        return this != TABULAR_REGRESSION;
    }

    public boolean isTabular() {
        return this != TEXT_CLASSIFICATION;
    }

    @JsonCreator
    public static TaskType fromId(String id) {
        for (TaskType type : values()) {
            if (type.id.equals(id)) {
                return type;
            }
        }
        throw DatasetProblem.INVALID_OPTIONS.problem("Unknown task type '" + id
                + "'; use text_classification, tabular_classification or tabular_regression.");
    }
}
