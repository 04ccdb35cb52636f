package io.modelyard.optimization;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.training.engine.ModelCompressor;
import io.modelyard.training.engine.Quantization;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.evaluation.Evaluation;

/**
 * A model measured the way compression and distillation report it: its test-split macro F1 and accuracy
 * through the serving path, its artifact's size, its single-row latency, and its parameters (how many are
 * zero after pruning, how they are stored).
 */
record Measurement(double macroF1, double accuracy, long sizeBytes, double latencyMs, long parameters,
        double zeroFraction, Quantization quantization, @JsonIgnore Evaluation evaluation) {

    static Measurement of(byte[] artifact, TrainingData data, ModelCompressor engine, ModelRuntime runtime,
            int latencySamples) {
        Evaluation evaluation = engine.evaluate(artifact, data);
        ModelCompressor.ArtifactSummary summary = engine.describe(artifact);
        double latency = LatencyProbe.medianMillis(runtime, artifact, data, latencySamples);
        return new Measurement(evaluation.classification().macro().f1(), evaluation.classification().accuracy(),
                artifact.length, latency, summary.parameters(), Math.round(summary.zeroFraction() * 1e4) / 1e4,
                summary.quantization(), evaluation);
    }
}
