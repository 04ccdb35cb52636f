package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.artifact.ModelArtifact;
import io.modelyard.ml.serve.DjlLoadedModel;
import io.modelyard.ml.serve.DjlModelRuntime;
import io.modelyard.model.spec.Architecture;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.testing.TorchScriptEncoders;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.ModelCompressor;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.Quantization;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A head trained on an imported TorchScript encoder, served and compressed like any model. */
class ImportedEncoderTest extends EngineTests {

    @Test
    void aHeadLearnsOnTheImportedEncodersVectorsAndTheModelServesWithIt() throws Exception {
        TrainingData topics = SyntheticData.topics(600, 150, 150, 91);
        byte[] encoder = TorchScriptEncoders.meanOfVectors(topicVectors());
        TrainingOutcome outcome = ModelTrainer.load().train(TinySpecs.text(Architecture.IMPORTED_ENCODER, 6), topics,
                Initialization.NONE.withEncoder(encoder), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        assertTrue(outcome.evaluation().classification().accuracy() >= 0.95,
                "accuracy " + outcome.evaluation().classification().accuracy());
        ModelArtifact artifact = ModelArtifact.read(outcome.artifact());
        assertNotNull(artifact.entries().get(ModelArtifact.ENCODER_ENTRY), "the artifact carries the encoder");
        try (DjlLoadedModel model = DjlModelRuntime.open(outcome.artifact(), 1)) {
            assertEquals("politics", model.predict(List.of(PredictionInput.text("The senate said today."))).get(0)
                    .label());
        }
        // only the head is stored in the weights, and only it is quantized
        byte[] int8 = ModelCompressor.load().quantize(outcome.artifact(), Quantization.INT8);
        assertEquals(outcome.evaluation().classification().accuracy(),
                ModelCompressor.load().evaluate(int8, topics).classification().accuracy(), 0.02);
        assertThrows(InvalidTrainingSpecException.class, () -> ModelTrainer.load().train(
                TinySpecs.text(Architecture.IMPORTED_ENCODER, 1), topics, Initialization.NONE,
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER));
    }

    /** Four-dimensional vectors: each topic's words near one axis, the rest near zero. */
    static Map<String, float[]> topicVectors() {
        Random random = new Random(9);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int t = 0; t < SyntheticData.TOPIC_WORDS.size(); t++) {
            for (String word : SyntheticData.TOPIC_WORDS.get(t)) {
                float[] v = new float[4];
                v[t] = 1f;
                vectors.put(word.toLowerCase(Locale.ROOT), v);
            }
        }
        for (String word : List.of("the", "a", "today", "people", "said", "new", "big", "report")) {
            float[] v = new float[4];
            for (int d = 0; d < 4; d++) {
                v[d] = (float) (random.nextGaussian() * 0.05);
            }
            vectors.put(word, v);
        }
        return vectors;
    }
}
