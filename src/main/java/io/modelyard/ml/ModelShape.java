package io.modelyard.ml;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;

/**
 * What fixes a network's parameters: architecture, hyperparameters, input size (vocabulary entries for text,
 * encoded feature width for tabular) and output size; for {@code imported_encoder}, the TorchScript encoder.
 *
 * @param encoder the imported TorchScript module's bytes, or null
 */
public record ModelShape(TaskType task, Architecture architecture, Hyperparameters hyperparameters, int inputSize,
        int labelCount, byte[] encoder) {

    public ModelShape(TaskType task, Architecture architecture, Hyperparameters hyperparameters, int inputSize,
            int labelCount) {
        this(task, architecture, hyperparameters, inputSize, labelCount, null);
    }

    /** Logits per class; one logit for the binary {@code lstm_classic}; one value for regression. */
    public int outputs() {
        if (!task.isClassification() || architecture == Architecture.LSTM_CLASSIC) {
            return 1;
        }
        return labelCount;
    }

    public OutputKind outputKind() {
        if (!task.isClassification()) {
            return OutputKind.REGRESSION;
        }
        return architecture == Architecture.LSTM_CLASSIC ? OutputKind.SIGMOID : OutputKind.SOFTMAX;
    }

    /** How the network's output is read. */
    public enum OutputKind {
        /** Logits per class, softmax cross-entropy. */
        SOFTMAX,
        /** One logit for the second label, sigmoid binary cross-entropy. */
        SIGMOID,
        /** One value on the standardised target scale, squared error. */
        REGRESSION
    }
}
