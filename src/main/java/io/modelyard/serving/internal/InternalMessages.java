package io.modelyard.serving.internal;

import io.modelyard.serving.ModelRef;
import io.modelyard.serving.engine.PredictionInput;
import java.util.List;

/** The bodies of the internal API between the API role and the workers (snake_case JSON, like the rest). */
final class InternalMessages {

    private InternalMessages() {
    }

    /** @param waitMillis how long the worker may wait for the model to load before answering 503 */
    record Predict(ModelRef model, List<PredictionInput> inputs, boolean explain, int explainTokens,
            long waitMillis) {
    }

    record Describe(ModelRef model, long waitMillis) {
    }

    record Ready(ModelRef model) {
    }

    record Readiness(boolean ready) {
    }
}
