package io.modelyard.ml.compress;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.modelyard.ml.EngineSetup;
import io.modelyard.ml.artifact.ArtifactWeights;
import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.artifact.QuantizedWeights;
import io.modelyard.ml.train.TestEvaluation;
import io.modelyard.training.engine.ModelCompressor;
import io.modelyard.training.engine.Quantization;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.evaluation.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The DJL/PyTorch {@link ModelCompressor}, registered in {@code META-INF/services}. */
public final class DjlModelCompressor implements ModelCompressor {

    @Override
    public byte[] quantize(byte[] artifact, Quantization quantization) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            ModelArtifact source = ModelArtifact.read(artifact);
            Block block = ArtifactWeights.load(source, manager);
            byte[] weights = QuantizedWeights.encode(block, quantization);
            return ModelArtifact.writeQuantized(source.manifest().quantized(quantization), weights, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot quantize: " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("cannot quantize: " + e.getMessage(), e);
        }
    }

    @Override
    public Evaluation evaluate(byte[] artifact, TrainingData data) {
        return TestEvaluation.evaluate(artifact, data);
    }

    @Override
    public ArtifactSummary describe(byte[] artifact) {
        try (NDManager manager = NDManager.newBaseManager(EngineSetup.device())) {
            ModelArtifact model = ModelArtifact.read(artifact);
            Block block = ArtifactWeights.load(model, manager);
            long parameters = 0;
            long zeros = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                float[] values = p.getValue().getArray().toFloatArray();
                parameters += values.length;
                for (float v : values) {
                    if (v == 0f) {
                        zeros++;
                    }
                }
            }
            var m = model.manifest();
            return new ArtifactSummary(m.task(), m.architecture(), m.hyperparameters(), m.labels(), parameters,
                    parameters == 0 ? 0 : (double) zeros / parameters, m.quantization());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the artifact: " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("cannot read the artifact: " + e.getMessage(), e);
        }
    }
}
