package io.modelyard.serving.engine;

import java.util.Map;

/**
 * One row to predict: {@code text} for a text model, {@code features} (column name to a number, string or
 * boolean; a missing or null numeric value is imputed with the training mean, a missing category counts as
 * unseen) for a tabular one, {@code image} (the encoded file: JPEG, PNG, BMP, GIF or WebP) for an image one.
 */
public record PredictionInput(String text, Map<String, Object> features, byte[] image) {

    public static PredictionInput text(String text) {
        return new PredictionInput(text, null, null);
    }

    public static PredictionInput features(Map<String, Object> features) {
        return new PredictionInput(null, features, null);
    }

    public static PredictionInput image(byte[] image) {
        return new PredictionInput(null, null, image);
    }
}
