package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/**
 * How the learning rate moves over the run. Every schedule is a pure function of the optimizer step, so a
 * resumed run continues on the same curve.
 * <ul>
 * <li>{@code constant}: the base rate throughout.</li>
 * <li>{@code step}: the base rate, times 0.1 from 50% of the steps, times 0.01 from 75%.</li>
 * <li>{@code cosine}: cosine annealing from the base rate to 0 over all steps.</li>
 * <li>{@code linear_warmup}: linear rise from 0 over the first 10% of steps (at least one), then linear decay
 * to 0 at the last step — the usual schedule for Transformers.</li>
 * </ul>
 */
public enum LearningRateSchedule {
    CONSTANT, STEP, COSINE, LINEAR_WARMUP;

    /**
     * The multiplier of the base rate for an update.
     *
     * @param step the 0-based index of the update
     * @param totalSteps the number of updates the whole run makes
     */
    public double factor(long step, long totalSteps) {
        if (totalSteps <= 0) {
            return 1.0;
        }
        double progress = Math.min(1.0, (double) step / totalSteps);
        switch (this) {
            case STEP:
                return progress >= 0.75 ? 0.01 : progress >= 0.5 ? 0.1 : 1.0;
            case COSINE:
                return 0.5 * (1 + Math.cos(Math.PI * progress));
            case LINEAR_WARMUP:
                long warmup = Math.max(1, totalSteps / 10);
                if (step < warmup) {
                    return (double) (step + 1) / warmup;
                }
                return Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmup));
            default:
                return 1.0;
        }
    }

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static LearningRateSchedule fromWire(String value) {
        return WireNames.parse(LearningRateSchedule.class, value);
    }
}
