package io.modelyard.training.engine;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.evaluation.Evaluation;
import java.util.ServiceLoader;

/**
 * What a compression job asks of the engine besides training: weight quantization of an artifact, and the
 * test-split evaluation of any artifact through the serving path (so before and after are measured alike).
 * Implemented in {@code io.modelyard.ml}, found with {@link #load()}.
 */
public interface ModelCompressor {

    /** The same model with its weights stored as {@code quantization} says. */
    byte[] quantize(byte[] artifact, Quantization quantization);

    /**
     * Scores the test split of {@code data} with the artifact loaded as serving loads it.
     *
     * @throws TrainingDataException when the data does not fit the model (another label set, missing features)
     */
    Evaluation evaluate(byte[] artifact, TrainingData data);

    /** What the artifact is, for checks before a job runs: task, architecture, labels, parameters, sparsity. */
    ArtifactSummary describe(byte[] artifact);

    /**
     * @param parameters weights and biases in the network
     * @param zeroFraction share of them that are exactly zero (pruned)
     */
    record ArtifactSummary(TaskType task, Architecture architecture, Hyperparameters hyperparameters,
            java.util.List<String> labels, long parameters, double zeroFraction, Quantization quantization) {
    }

    static ModelCompressor load() {
        return ServiceLoader.load(ModelCompressor.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no ModelCompressor on the class path (META-INF/services/" + ModelCompressor.class.getName() + ")"));
    }
}
