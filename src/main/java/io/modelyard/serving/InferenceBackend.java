package io.modelyard.serving;

import io.modelyard.serving.engine.PredictionInput;
import java.time.Duration;
import java.util.List;

/**
 * Where predictions run: in this process (roles {@code all} and {@code worker}) or on a worker over internal HTTP
 * (role {@code api}). The caller has already resolved the model for the tenant, checked permissions and limits.
 * Failures are problems: {@link InputRejectedException} for an input the model cannot read, 503
 * {@code model-loading} with Retry-After when the model did not load within {@code wait}.
 */
public interface InferenceBackend {

    /**
     * Predicts {@code inputs} in one go; the answer has one prediction per input, in order.
     *
     * @param explain       also explain each input (text models)
     * @param explainTokens tokens per explanation
     * @param wait          how long to wait for a model that is not loaded yet
     */
    InferenceResult infer(ModelRef model, List<PredictionInput> inputs, boolean explain, int explainTokens,
            Duration wait);

    /** What the model reads and answers; loads it if needed. */
    ModelSignature describe(ModelRef model, Duration wait);

    /** Whether the model is loaded and ready; if it is not, starts loading it and answers false. */
    boolean ready(ModelRef model);
}
