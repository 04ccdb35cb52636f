package io.modelyard.serving.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The answer for one row. Classification: {@code label} and the {@code probabilities} of every class (in the
 * model's label order, summing to 1). Regression: {@code value}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(String label, Map<String, Double> probabilities, Double value) {

    /** The probability of the predicted label. */
    public double confidence() {
        return probabilities == null ? Double.NaN : probabilities.get(label);
    }
}
