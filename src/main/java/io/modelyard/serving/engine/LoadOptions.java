package io.modelyard.serving.engine;

/**
 * How a model is held in memory.
 *
 * @param predictors engine predictors kept per model: how many batches of this model run at once. Each holds a
 *        little native state; callers beyond this number wait for a free one.
 */
public record LoadOptions(int predictors) {

    public LoadOptions {
        if (predictors < 1) {
            throw new IllegalArgumentException("predictors must be >= 1");
        }
    }

    /** One predictor per core, at most 4: the engine parallelises inside a forward pass as well. */
    public static LoadOptions defaults() {
        return new LoadOptions(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }
}
