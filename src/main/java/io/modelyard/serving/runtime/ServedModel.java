package io.modelyard.serving.runtime;

import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import java.util.List;

/** A loaded model as the cache holds it: the engine's model and, when batching is on, its batcher. */
final class ServedModel implements AutoCloseable {

    private final LoadedModel model;
    private final DynamicBatcher batcher;

    ServedModel(LoadedModel model, DynamicBatcher batcher) {
        this.model = model;
        this.batcher = batcher;
    }

    LoadedModel model() {
        return model;
    }

    /** Predicts through the batcher when there is one (answers never cross requests), else directly. */
    List<Prediction> predict(List<PredictionInput> inputs) {
        return batcher != null ? batcher.predict(inputs) : model.predict(inputs);
    }

    long sizeBytes() {
        return model.approximateSizeBytes();
    }

    @Override
    public void close() {
        try {
            if (batcher != null) {
                batcher.close();
            }
        } finally {
            model.close();
        }
    }
}
