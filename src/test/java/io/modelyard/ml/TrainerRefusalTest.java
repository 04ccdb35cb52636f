package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.SpecViolation;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerRefusalTest extends EngineTests {

    private final ModelTrainer trainer = ModelTrainer.load();

    @Test
    void lstmClassicRefusesThreeClasses() {
        InvalidTrainingSpecException e = assertThrows(InvalidTrainingSpecException.class, () -> trainer.train(
                TinySpecs.text(Architecture.LSTM_CLASSIC, 1), SyntheticData.topics(30, 10, 10, 1),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER));
        assertEquals(List.of("architecture"), e.errors().stream().map(SpecViolation::field).toList());
    }

    @Test
    void aSpecForAnotherTaskIsRefused() {
        InvalidTrainingSpecException e = assertThrows(InvalidTrainingSpecException.class, () -> trainer.train(
                TinySpecs.tabular(TaskType.TABULAR_REGRESSION, 1), SyntheticData.topics(30, 10, 10, 1),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER));
        assertEquals("task", e.errors().get(0).field());
    }

    @Test
    void dataErrorsNameColumnSplitAndRow() {
        TrainingData topics = SyntheticData.topics(30, 10, 10, 1);
        List<Example> train = new ArrayList<>(topics.train());
        train.set(7, Example.text("some text", "weather"));
        TrainingDataException label = assertThrows(TrainingDataException.class, () -> trainer.train(
                TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 1), TrainingData.text("text", "topic",
                        SyntheticData.TOPICS, train, topics.validation(), topics.test()),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER));
        assertEquals("topic", label.field());
        assertEquals("train", label.split());
        assertEquals(7, label.row());

        TrainingData credit = SyntheticData.credit(30, 10, 10, 1);
        List<Example> validation = new ArrayList<>(credit.validation());
        validation.set(3, Example.tabular(List.of("12", "lots", "north"), "safe"));
        TrainingDataException cell = assertThrows(TrainingDataException.class, () -> trainer.train(
                TinySpecs.tabular(TaskType.TABULAR_CLASSIFICATION, 1), TrainingData.tabular(
                        TaskType.TABULAR_CLASSIFICATION, SyntheticData.FEATURES, "risk", credit.labelClasses(),
                        credit.train(), validation, credit.test()),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER));
        assertEquals("debt", cell.field());
        assertEquals("validation", cell.split());
        assertEquals(3, cell.row());
    }
}
