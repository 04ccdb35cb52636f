package io.modelyard.ml.artifact;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Quantization;
import java.util.List;

/**
 * {@code manifest.json} of a model artifact: everything besides the weights and the fitted preprocessing that
 * is needed to rebuild the network and read its output.
 *
 * @param format always {@value ModelArtifact#FORMAT}
 * @param formatVersion {@value ModelArtifact#FORMAT_VERSION}; a runtime refuses versions it does not know
 * @param inputSize vocabulary entries (text) or encoded feature width (tabular)
 * @param targetMean mean of the training targets (regression): outputs are standardised targets
 * @param targetStd standard deviation of the training targets (regression)
 * @param bestEpoch the epoch whose weights these are
 * @param engine the engine and version that trained it, for the record
 * @param quantization how the weights are stored ({@code weights.quantized}), or null for 32-bit floats
 *        ({@code weights.params}); a quantized artifact is format version 2
 */
public record ArtifactManifest(
        String format,
        int formatVersion,
        TaskType task,
        Architecture architecture,
        Hyperparameters hyperparameters,
        List<String> labels,
        String labelColumn,
        String textColumn,
        List<FeatureColumn> features,
        int inputSize,
        Double targetMean,
        Double targetStd,
        int bestEpoch,
        String engine,
        Quantization quantization) {

    /** This manifest for weights stored as {@code q}. */
    public ArtifactManifest quantized(Quantization q) {
        return new ArtifactManifest(format, ModelArtifact.QUANTIZED_FORMAT_VERSION, task, architecture,
                hyperparameters, labels, labelColumn, textColumn, features, inputSize, targetMean, targetStd, bestEpoch,
                engine, q);
    }
}
