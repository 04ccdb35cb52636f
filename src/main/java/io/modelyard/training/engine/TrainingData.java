package io.modelyard.training.engine;

import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import java.util.List;

/**
 * Everything the trainer reads, already split. Preprocessing (vocabulary, standardisation, one-hot maps) is
 * fitted on {@code train} only; {@code validation} drives early stopping; {@code test} is touched once, for the
 * final {@code Evaluation}. The lists are read, never changed, and may be read more than once.
 *
 * @param task what is learned
 * @param textColumn the text column's name (text tasks) or the image id column's (image tasks), recorded in the
 *        artifact
 * @param features the input columns of a tabular task in row order (empty for text)
 * @param labelColumn the label or target column's name, recorded in the artifact
 * @param labelClasses the classes of a classification task in the order the model outputs them (empty for
 *        regression)
 * @param images the images of an image task, by the id its examples hold; {@link ImageSource#NONE} otherwise
 */
public record TrainingData(
        TaskType task,
        String textColumn,
        List<FeatureColumn> features,
        String labelColumn,
        List<String> labelClasses,
        List<Example> train,
        List<Example> validation,
        List<Example> test,
        ImageSource images) {

    public TrainingData {
        images = images == null ? ImageSource.NONE : images;
        features = features == null ? List.of() : List.copyOf(features);
        labelClasses = labelClasses == null ? List.of() : List.copyOf(labelClasses);
        train = train == null ? List.of() : train;
        validation = validation == null ? List.of() : validation;
        test = test == null ? List.of() : test;
    }

    public static TrainingData text(String textColumn, String labelColumn, List<String> labelClasses,
            List<Example> train, List<Example> validation, List<Example> test) {
        return new TrainingData(TaskType.TEXT_CLASSIFICATION, textColumn, List.of(), labelColumn, labelClasses, train,
                validation, test, ImageSource.NONE);
    }

    public static TrainingData tabular(TaskType task, List<FeatureColumn> features, String labelColumn,
            List<String> labelClasses, List<Example> train, List<Example> validation, List<Example> test) {
        return new TrainingData(task, null, features, labelColumn, labelClasses, train, validation, test,
                ImageSource.NONE);
    }

    /** Image classification: examples hold image ids ({@link Example#image}) that {@code images} reads. */
    public static TrainingData images(String imageColumn, String labelColumn, List<String> labelClasses,
            List<Example> train, List<Example> validation, List<Example> test, ImageSource images) {
        return new TrainingData(TaskType.IMAGE_CLASSIFICATION, imageColumn, List.of(), labelColumn, labelClasses,
                train, validation, test, images);
    }
}
