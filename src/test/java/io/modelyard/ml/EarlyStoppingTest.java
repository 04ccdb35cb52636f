package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingProgress;
import io.modelyard.training.engine.TrainingSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest extends EngineTests {

    /** Shuffled labels: the model can only memorise, so validation loss soon rises and early stopping fires. */
    @Test
    void stopsWhenValidationStopsImprovingAndKeepsTheBestEpoch() {
        TrainingData data = SyntheticData.shuffledTopics(300, 150, 50, 41);
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.BAG_OF_EMBEDDINGS,
                SizePreset.SMALL, new HyperparameterOverrides(40, 16, 3e-2, null, null, null, null, 0.0, 2, 16, 300,
                        32, 32, 1, 1, 5L, 0));
        List<TrainingProgress> progress = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        TrainingOutcome outcome = ModelTrainer.load().train(spec, data, CheckpointSink.inMemory(),
                new TrainingListener() {
                    @Override
                    public void progress(TrainingProgress p) {
                        progress.add(p);
                    }

                    @Override
                    public void message(MessageLevel level, String text) {
                        messages.add(level.wireName() + ": " + text);
                    }
                }, StopSignal.NEVER);

        assertTrue(outcome.earlyStopped());
        assertTrue(outcome.epochsRun() < 40, "ran " + outcome.epochsRun());
        EpochMetrics best = outcome.history().stream().min(Comparator.comparingDouble(EpochMetrics::valLoss))
                .orElseThrow();
        assertEquals(best.epoch(), outcome.bestEpoch());
        assertEquals(outcome.bestEpoch() + 2, outcome.epochsRun(), "patience 2");
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("info: early stopping")), messages.toString());

        // the artifact holds the best epoch's weights: it scores the validation split as that epoch did
        try (LoadedModel model = ModelRuntime.load().load(outcome.artifact())) {
            List<PredictionInput> inputs = new ArrayList<>();
            data.validation().forEach(e -> inputs.add(PredictionInput.text(e.text())));
            List<Prediction> predictions = model.predict(inputs);
            int correct = 0;
            for (int i = 0; i < predictions.size(); i++) {
                Example example = data.validation().get(i);
                correct += predictions.get(i).label().equals(example.label()) ? 1 : 0;
            }
            assertEquals(best.valAccuracy(), (double) correct / predictions.size(), 1e-9);
        }

        TrainingProgress last = progress.get(progress.size() - 1);
        assertEquals(outcome.epochsRun(), last.epoch());
        assertEquals(outcome.samplesProcessed(), last.samplesSeen());
        assertEquals(300L * outcome.epochsRun(), last.samplesSeen());
        assertEquals(19L * 40, last.totalSteps());
        assertEquals(19L * outcome.epochsRun(), last.stepsDone());
    }
}
