package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.evaluation.RegressionEvaluation;
import org.junit.jupiter.api.Test;

class TabularTrainingTest extends EngineTests {

    private final ModelTrainer trainer = ModelTrainer.load();

    @Test
    void mlpSeparatesRiskyFromSafeCredit() {
        TrainingOutcome outcome = trainer.train(TinySpecs.tabular(TaskType.TABULAR_CLASSIFICATION, 15),
                SyntheticData.credit(800, 200, 200, 3), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        double accuracy = outcome.evaluation().classification().accuracy();
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
        EpochMetrics last = outcome.history().get(outcome.history().size() - 1);
        assertNotNull(last.valAccuracy());
        assertNotNull(last.valF1());
        assertNull(last.valMse());
    }

    @Test
    void mlpFitsALinearPriceFunction() {
        TrainingOutcome outcome = trainer.train(TinySpecs.tabular(TaskType.TABULAR_REGRESSION, 25),
                SyntheticData.prices(800, 200, 200, 4), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        RegressionEvaluation regression = outcome.evaluation().regression();
        assertTrue(regression.r2() > 0.97, "test R2 " + regression.r2());
        assertEquals(200, regression.count());
        // prices span about 0..600; a model off by more than 30 on average has not learned the function
        assertTrue(regression.mae() < 30, "test MAE " + regression.mae());
        EpochMetrics last = outcome.history().get(outcome.history().size() - 1);
        assertNotNull(last.valMse());
        assertNull(last.valAccuracy());
    }

    @Test
    void theLinearBaselineIsLinearRegressionOnTheFeatures() {
        var spec = io.modelyard.training.engine.TrainingSpec.resolve(TaskType.TABULAR_REGRESSION, Architecture.LINEAR,
                io.modelyard.training.engine.SizePreset.SMALL, TinySpecs.overrides(40, 32, 5e-2, null, null, 32, 1, 1));
        TrainingOutcome outcome = trainer.train(spec, SyntheticData.prices(800, 200, 200, 4),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
        // prices are linear in size and age with a regional offset: a linear model explains nearly all of it
        assertTrue(outcome.evaluation().regression().r2() > 0.95, "test R2 " + outcome.evaluation().regression().r2());
        TrainingOutcome classes = trainer.train(io.modelyard.training.engine.TrainingSpec.resolve(
                TaskType.TABULAR_CLASSIFICATION, Architecture.LINEAR, io.modelyard.training.engine.SizePreset.SMALL,
                TinySpecs.overrides(20, 32, 5e-2, null, null, 32, 1, 1)), SyntheticData.credit(800, 200, 200, 3),
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
        assertTrue(classes.evaluation().classification().accuracy() > 0.8,
                "credit accuracy " + classes.evaluation().classification().accuracy());
    }

    @Test
    void shuffledLabelsLeaveNothingToLearn() {
        TrainingOutcome outcome = trainer.train(TinySpecs.text(Architecture.BAG_OF_EMBEDDINGS, 4),
                SyntheticData.shuffledTopics(600, 150, 300, 5), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        double accuracy = outcome.evaluation().classification().accuracy();
        // three balanced classes: chance is 1/3; anything near the separable score would mean leakage
        assertTrue(accuracy < 0.45, "accuracy on shuffled labels " + accuracy);
    }
}
