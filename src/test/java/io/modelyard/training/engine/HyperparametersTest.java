package io.modelyard.training.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

    private static final ObjectMapper API_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Test
    void lstmClassicIsTheKerasRecipe() {
        Hyperparameters h = Hyperparameters.preset(Architecture.LSTM_CLASSIC, SizePreset.BASE);
        assertEquals(1000, h.vocabularySize());
        assertEquals(64, h.embeddingSize());
        assertEquals(64, h.hiddenSize());
        assertEquals(100, h.maxSequenceLength());
        assertEquals(OptimizerKind.ADAM, h.optimizer());
        assertEquals(1e-3, h.learningRate());
        assertEquals(h, Hyperparameters.preset(Architecture.LSTM_CLASSIC, SizePreset.LARGE));
    }

    @Test
    void explicitValuesOverrideThePreset() {
        HyperparameterOverrides overrides = new HyperparameterOverrides(3, null, 0.05, LearningRateSchedule.COSINE,
                OptimizerKind.SGD, null, null, null, null, null, null, null, null, null, null, 99L, null);
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.TEXT_CNN,
                SizePreset.SMALL, overrides);
        Hyperparameters preset = Hyperparameters.preset(Architecture.TEXT_CNN, SizePreset.SMALL);
        assertEquals(3, spec.hyperparameters().epochs());
        assertEquals(0.05, spec.hyperparameters().learningRate());
        assertEquals(OptimizerKind.SGD, spec.hyperparameters().optimizer());
        assertEquals(99L, spec.hyperparameters().seed());
        assertEquals(preset.batchSize(), spec.hyperparameters().batchSize());
        assertEquals(preset.embeddingSize(), spec.hyperparameters().embeddingSize());
        assertEquals(List.of(), spec.validate(3));
        assertEquals(SizePreset.BASE, TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.BILSTM, null,
                null).size());
    }

    @Test
    void everyPresetIsValidForItsTask() {
        for (Architecture architecture : Architecture.values()) {
            TaskType task = architecture.isText() ? TaskType.TEXT_CLASSIFICATION
                    : architecture.isImage() ? TaskType.IMAGE_CLASSIFICATION : TaskType.TABULAR_REGRESSION;
            for (SizePreset size : SizePreset.values()) {
                assertEquals(List.of(), TrainingSpec.resolve(task, architecture, size, null).validate(2),
                        architecture + " " + size);
            }
        }
    }

    @Test
    void validationNamesTheSnakeCaseField() {
        HyperparameterOverrides bad = new HyperparameterOverrides(0, null, 0.0, null, null, 1.5, null, 1.0, null,
                null, null, 64, null, null, 3, null, -1);
        List<SpecViolation> errors = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.TRANSFORMER,
                SizePreset.SMALL, bad).validate(2);
        assertTrue(errors.contains(new SpecViolation("learning_rate", "learning_rate must be > 0 and <= 10")), errors
                .toString());
        assertTrue(errors.contains(new SpecViolation("heads", "heads must divide embedding_size (64 is not a multiple"
                + " of 3)")), errors.toString());
        assertTrue(fields(errors).containsAll(List.of("epochs", "momentum", "dropout", "checkpoint_every_steps")),
                errors.toString());
    }

    @Test
    void architectureMustFitTheTaskAndLabels() {
        assertEquals(List.of("architecture"), fields(TrainingSpec.resolve(TaskType.TABULAR_CLASSIFICATION,
                Architecture.BILSTM, SizePreset.SMALL, null).validate(2)));
        assertEquals(List.of("architecture"), fields(TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION,
                Architecture.MLP, SizePreset.SMALL, null).validate(2)));
        List<SpecViolation> threeClasses = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.LSTM_CLASSIC,
                SizePreset.SMALL, null).validate(3);
        assertEquals(List.of("architecture"), fields(threeClasses));
        assertTrue(threeClasses.get(0).message().contains("exactly 2 label classes"));
        assertEquals(List.of("task"), fields(TrainingSpec.resolve(null, Architecture.MLP, null, null).validate()));
    }

    @Test
    void serialisesSnakeCaseWithLowercaseEnums() throws Exception {
        TrainingSpec spec = TrainingSpec.resolve(TaskType.TEXT_CLASSIFICATION, Architecture.BAG_OF_EMBEDDINGS,
                SizePreset.SMALL, null);
        String json = API_JSON.writeValueAsString(spec);
        assertTrue(json.contains("\"task\":\"text_classification\""), json);
        assertTrue(json.contains("\"architecture\":\"bag_of_embeddings\""), json);
        assertTrue(json.contains("\"batch_size\":64"), json);
        assertTrue(json.contains("\"early_stopping_patience\":3"), json);
        assertTrue(json.contains("\"optimizer\":\"adam\""), json);
        assertEquals(spec, API_JSON.readValue(json, TrainingSpec.class));
        HyperparameterOverrides request = API_JSON.readValue(
                "{\"learning_rate\":0.1,\"optimizer\":\"adamw\",\"schedule\":\"linear_warmup\"}",
                HyperparameterOverrides.class);
        assertEquals(0.1, request.learningRate());
        assertEquals(OptimizerKind.ADAMW, request.optimizer());
        assertEquals(LearningRateSchedule.LINEAR_WARMUP, request.schedule());
        assertEquals(null, request.epochs());
    }

    @Test
    void schedulesScaleTheRateAsDocumented() {
        assertEquals(1.0, LearningRateSchedule.CONSTANT.factor(70, 100));
        assertEquals(1.0, LearningRateSchedule.STEP.factor(49, 100));
        assertEquals(0.1, LearningRateSchedule.STEP.factor(50, 100));
        assertEquals(0.01, LearningRateSchedule.STEP.factor(80, 100));
        assertEquals(1.0, LearningRateSchedule.COSINE.factor(0, 100), 1e-12);
        assertEquals(0.5, LearningRateSchedule.COSINE.factor(50, 100), 1e-12);
        assertEquals(0.1, LearningRateSchedule.LINEAR_WARMUP.factor(0, 100), 1e-12);
        assertEquals(1.0, LearningRateSchedule.LINEAR_WARMUP.factor(9, 100), 1e-12);
        assertEquals(0.5, LearningRateSchedule.LINEAR_WARMUP.factor(55, 100), 1e-12);
    }

    private static List<String> fields(List<SpecViolation> errors) {
        return errors.stream().map(SpecViolation::field).toList();
    }
}
