package io.modelyard.optimization;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.EpochMetrics;
import java.util.Locale;

/**
 * What a tuning job optimises, measured on the validation split (never the test split, which only the chosen
 * model's final evaluation reads). Classification: macro F1 (default) or accuracy; regression: R² (default) or
 * the mean squared error.
 */
public enum Objective {
    MACRO_F1(true, true), ACCURACY(true, true), MSE(false, false), R2(false, true);

    private final boolean classification;
    private final boolean maximize;

    Objective(boolean classification, boolean maximize) {
        this.classification = classification;
        this.maximize = maximize;
    }

    static Objective defaultFor(TaskType task) {
        return task.isClassification() ? MACRO_F1 : R2;
    }

    boolean fits(TaskType task) {
        return task.isClassification() == classification;
    }

    boolean maximize() {
        return maximize;
    }

    /**
     * The objective of one epoch's validation, in its own units.
     *
     * @param validationVariance variance of the validation targets (regression), for R²
     */
    Double value(EpochMetrics m, double validationVariance) {
        return switch (this) {
            case MACRO_F1 -> m.valF1();
            case ACCURACY -> m.valAccuracy();
            case MSE -> m.valMse();
            case R2 -> m.valMse() == null ? null
                    : 1 - m.valMse() / (validationVariance > 0 ? validationVariance : 1);
        };
    }

    /** Larger is better, whatever the objective: the value, or its negative when it is minimised. */
    double score(double value) {
        return maximize ? value : -value;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Objective fromWire(String value) {
        for (Objective o : values()) {
            if (o.wireName().equals(value)) {
                return o;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of: macro_f1, accuracy, mse, r2");
    }
}
