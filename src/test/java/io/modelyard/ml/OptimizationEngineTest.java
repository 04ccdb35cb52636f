package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.model.spec.Architecture;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.ModelCompressor;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.Quantization;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quantization, pruning, distillation and warm starts in the engine, on generated data. */
class OptimizationEngineTest extends EngineTests {

    private static final TrainingData TOPICS = SyntheticData.topics(600, 150, 150, 61);
    private final ModelTrainer trainer = ModelTrainer.load();
    private final ModelCompressor compressor = ModelCompressor.load();

    @Test
    void quantizedWeightsShrinkTheArtifactAndKeepThePredictions() throws Exception {
        TrainingOutcome model = train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 6), TOPICS, Initialization.NONE);
        byte[] int8 = compressor.quantize(model.artifact(), Quantization.INT8);
        byte[] fp16 = compressor.quantize(model.artifact(), Quantization.FP16);
        // the weights shrink to about a quarter and a half (a tiny model's vocabulary and manifest stay as they are)
        int weights = ModelArtifact.read(model.artifact()).weights().length;
        assertTrue(ModelArtifact.read(int8).quantizedWeights().length < 0.35 * weights);
        assertTrue(ModelArtifact.read(fp16).quantizedWeights().length < 0.6 * weights);
        assertTrue(int8.length < fp16.length && fp16.length < model.artifact().length);
        assertEquals(Quantization.INT8, ModelArtifact.read(int8).manifest().quantization());
        assertNull(ModelArtifact.read(int8).weights(), "no 32-bit weights are kept");
        double before = model.evaluation().classification().macro().f1();
        assertEquals(before, compressor.evaluate(int8, TOPICS).classification().macro().f1(), 0.02);
        assertEquals(before, compressor.evaluate(fp16, TOPICS).classification().macro().f1(), 0.01);
        // served from the quantized artifact, a prediction barely moves
        List<PredictionInput> inputs = TOPICS.test().subList(0, 20).stream()
                .map(e -> PredictionInput.text(e.text())).toList();
        try (DjlLoadedModel full = DjlModelRuntime.open(model.artifact(), 1);
                DjlLoadedModel small = DjlModelRuntime.open(int8, 1)) {
            List<Prediction> a = full.predict(inputs);
            List<Prediction> b = small.predict(inputs);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).confidence(), b.get(i).probabilities().get(a.get(i).label()), 0.05);
            }
        }
    }

    @Test
    void pruningHoldsHalfTheWeightsAtZeroWhileFineTuningKeepsTheAccuracy() {
        TrainingOutcome source = train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 6), TOPICS, Initialization.NONE);
        TrainingOutcome pruned = train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 2), TOPICS,
                Initialization.fromModel(source.artifact(), Initialization.Freeze.NONE).withPruning(0.5));
        ModelCompressor.ArtifactSummary summary = compressor.describe(pruned.artifact());
        assertTrue(summary.zeroFraction() > 0.45, "zeros " + summary.zeroFraction());
        assertTrue(compressor.describe(source.artifact()).zeroFraction() < 0.01);
        assertTrue(pruned.evaluation().classification().accuracy() >= 0.95,
                "pruned accuracy " + pruned.evaluation().classification().accuracy());
        // zeros compress once quantized: the pruned int8 artifact is smaller than the dense one
        byte[] dense = compressor.quantize(source.artifact(), Quantization.INT8);
        byte[] sparse = compressor.quantize(pruned.artifact(), Quantization.INT8);
        assertTrue(sparse.length < dense.length, sparse.length + " vs " + dense.length);
    }

    @Test
    void aStudentLearnsFromTheTeachersSoftenedProbabilities() {
        TrainingOutcome teacher = train(TinySpecs.text(Architecture.TEXT_CNN, 4), TOPICS, Initialization.NONE);
        TrainingOutcome student = train(TinySpecs.text(Architecture.LINEAR, 8), TOPICS,
                Initialization.NONE.withTeacher(new Initialization.Teacher(teacher.artifact(), 2.0, 0.7)));
        assertTrue(student.evaluation().classification().accuracy() >= 0.95,
                "student accuracy " + student.evaluation().classification().accuracy());
    }

    @Test
    void aModelFineTunesOnANewLabelSetWithItsEmbeddingFrozen() throws Exception {
        TrainingOutcome source = train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 6), TOPICS, Initialization.NONE);
        TrainingData sportOrNot = relabel(TOPICS);
        TrainingOutcome tuned = train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 3), sportOrNot,
                Initialization.fromModel(source.artifact(), Initialization.Freeze.EMBEDDING));
        assertTrue(tuned.evaluation().classification().accuracy() >= 0.95,
                "fine-tuned accuracy " + tuned.evaluation().classification().accuracy());
        assertEquals(List.of("other", "sport"), ModelArtifact.read(tuned.artifact()).manifest().labels());
        // the frozen embedding table is the source's, bit for bit; the vocabulary is the source's too
        assertArrayEquals(embedding(source.artifact()), embedding(tuned.artifact()));
        assertArrayEquals(ModelArtifact.read(source.artifact()).entries().get("vocabulary.txt"),
                ModelArtifact.read(tuned.artifact()).entries().get("vocabulary.txt"));
        // another architecture than the source's is refused
        assertThrows(InvalidTrainingSpecException.class, () -> train(TinySpecs.text(Architecture.TEXT_CNN, 1),
                sportOrNot, Initialization.fromModel(source.artifact(), Initialization.Freeze.NONE)));
    }

    private TrainingOutcome train(io.modelyard.training.engine.TrainingSpec spec, TrainingData data,
            Initialization init) {
        return trainer.train(spec, data, init, CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
    }

    private static float[] embedding(byte[] artifact) throws Exception {
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager(EngineSetup.device())) {
            var block = io.modelyard.ml.artifact.ArtifactWeights.load(ModelArtifact.read(artifact), manager);
            for (var p : block.getParameters()) {
                if (p.getKey().contains("embedding")) {
                    return p.getValue().getArray().toFloatArray();
                }
            }
        }
        throw new AssertionError("no embedding");
    }

    private static TrainingData relabel(TrainingData data) {
        return TrainingData.text("text", "kind", List.of("other", "sport"), sport(data.train()),
                sport(data.validation()), sport(data.test()));
    }

    private static List<Example> sport(List<Example> examples) {
        List<Example> out = new ArrayList<>();
        examples.forEach(e -> out.add(Example.text(e.text(), "sport".equals(e.label()) ? "sport" : "other")));
        assertFalse(out.isEmpty());
        return out;
    }
}
