package io.modelyard.ml;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.LearningRateSchedule;
import io.modelyard.training.engine.OptimizerKind;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;

/** Small, fast settings for tests: tiny widths, few epochs. */
public final class TinySpecs {

    private TinySpecs() {
    }

    public static TrainingSpec text(Architecture architecture, int epochs) {
        return TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, architecture, SizePreset.SMALL,
                overrides(epochs, 32, architecture == Architecture.LSTM_CLASSIC ? 5e-3
                        : architecture == Architecture.LINEAR ? 5e-2 : 1e-2, null, 32, 16,
                        architecture == Architecture.TRANSFORMER ? 2 : 1, 2));
    }

    public static TrainingSpec tabular(TaskType task, int epochs) {
        return TrainingSpec.resolve(task, Architecture.MLP, SizePreset.SMALL,
                overrides(epochs, 32, 1e-2, null, null, 32, 2, 1));
    }

    static HyperparameterOverrides overrides(int epochs, int batch, double rate, OptimizerKind optimizer,
            Integer maxLength, Integer width, int layers, int heads) {
        return new HyperparameterOverrides(epochs, batch, rate, LearningRateSchedule.CONSTANT, optimizer, null, null,
                0.1, 0, maxLength, 500, width, width, layers, heads, 7L, 0);
    }
}
