package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/**
 * The training loss, where more than one fits the task. Classification: {@code cross_entropy} (the default;
 * binary cross-entropy for {@code lstm_classic}) or {@code focal} (cross-entropy scaled by (1 - p)², which
 * weighs down the examples already classified well: for imbalanced or noisy sets). Regression: {@code mse} (the
 * default), {@code mae} (robust to outliers) or {@code huber} (squared near the target, absolute beyond one
 * standard deviation of it).
 */
public enum LossKind {
    CROSS_ENTROPY, FOCAL, MSE, MAE, HUBER;

    public boolean forClassification() {
        return this == CROSS_ENTROPY || this == FOCAL;
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static LossKind fromWire(String value) {
        return WireNames.parse(LossKind.class, value);
    }
}
