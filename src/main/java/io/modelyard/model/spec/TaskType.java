package io.modelyard.model.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a dataset is for and what a model learns to predict; decides which columns a dataset needs. Written in
 * lowercase ({@code text_classification}) on the wire, in the {@code task} columns and in artifacts.
 */
public enum TaskType {
    /** A label from free text (sentiment, intent, topic): a text column and a label column. */
    TEXT_CLASSIFICATION,
    /** A label from numeric and categorical columns: feature columns and a categorical target. */
    TABULAR_CLASSIFICATION,
    /** A number from numeric and categorical columns: feature columns and a numeric target. */
    TABULAR_REGRESSION,
    /**
     * A label from an image: uploaded as a zip of images (class folders or a {@code labels.csv} manifest); a
     * version's rows hold each image's id and label, the images themselves are blobs of the dataset.
     */
    IMAGE_CLASSIFICATION;

    public boolean isClassification() {
        return this != TABULAR_REGRESSION;
    }

    public boolean isText() {
        return this == TEXT_CLASSIFICATION;
    }

    public boolean isImage() {
        return this == IMAGE_CLASSIFICATION;
    }

    /**
     * Whether a row has one input column and a label: the text, or the image's id. Datasets of such tasks are
     * validated, cleaned and split alike.
     */
    public boolean hasOneInput() {
        return this == TEXT_CLASSIFICATION || this == IMAGE_CLASSIFICATION;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    /**
     * The task spelled {@code value}, ignoring case and surrounding blanks; null for null.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code value} is none of them
     */
    @JsonCreator
    public static TaskType fromWire(String value) {
        return WireNames.parse(TaskType.class, value);
    }
}
