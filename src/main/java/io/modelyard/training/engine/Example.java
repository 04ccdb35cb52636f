package io.modelyard.training.engine;

import java.util.List;

/**
 * One row of a split. A text example has {@code text}; an image example has the image's id in {@code text}
 * (its {@link TrainingData#images()} reads the file); a tabular one has {@code features}, the cell values as
 * strings in the order of {@link TrainingData#features()} (null or blank for a missing cell). Classification rows
 * carry {@code label} (one of {@link TrainingData#labelClasses()}), regression rows {@code target}.
 */
public record Example(String text, List<String> features, String label, double target) {

    public static Example text(String text, String label) {
        return new Example(text, List.of(), label, Double.NaN);
    }

    public static Example image(String imageId, String label) {
        return new Example(imageId, List.of(), label, Double.NaN);
    }

    public static Example tabular(List<String> features, String label) {
        return new Example(null, features, label, Double.NaN);
    }

    public static Example regression(List<String> features, double target) {
        return new Example(null, features, null, target);
    }
}
