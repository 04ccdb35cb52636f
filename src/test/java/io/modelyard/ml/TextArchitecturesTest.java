package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.Architecture;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TextArchitecturesTest extends EngineTests {

    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"LINEAR", "BAG_OF_EMBEDDINGS", "TEXT_CNN", "BILSTM", "TRANSFORMER"})
    void eachTextArchitectureLearnsSeparableTopics(Architecture architecture) {
        TrainingData data = SyntheticData.topics(600, 150, 150, 1);
        long started = System.nanoTime();
        TrainingOutcome outcome = ModelTrainer.load().train(TinySpecs.text(architecture, 6), data,
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
        System.out.printf("%s: accuracy %.3f in %d ms, history %s%n", architecture,
                outcome.evaluation().classification().accuracy(), (System.nanoTime() - started) / 1_000_000,
                outcome.history());
        assertTrue(outcome.evaluation().classification().accuracy() >= 0.95,
                architecture + " test accuracy " + outcome.evaluation().classification().accuracy());
        assertEquals(150, outcome.evaluation().classification().support());
        assertEquals("cpu", outcome.device());
    }

    @org.junit.jupiter.api.Test
    void lstmClassicLearnsBinarySentiment() {
        TrainingData data = SyntheticData.sentiment(600, 150, 150, 2);
        TrainingOutcome outcome = ModelTrainer.load().train(TinySpecs.text(Architecture.LSTM_CLASSIC, 8), data,
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
        System.out.printf("lstm_classic: accuracy %.3f history %s%n",
                outcome.evaluation().classification().accuracy(), outcome.history());
        assertTrue(outcome.evaluation().classification().accuracy() >= 0.95,
                "test accuracy " + outcome.evaluation().classification().accuracy());
    }
}
