package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TabularServingTest extends EngineTests {

    private static LoadedModel credit;
    private static LoadedModel prices;

    @BeforeAll
    static void trainAndLoad() {
        ModelTrainer trainer = ModelTrainer.load();
        TrainingOutcome creditOutcome = trainer.train(TinySpecs.tabular(TaskType.TABULAR_CLASSIFICATION, 10),
                SyntheticData.credit(600, 150, 150, 31), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        TrainingOutcome priceOutcome = trainer.train(TinySpecs.tabular(TaskType.TABULAR_REGRESSION, 25),
                SyntheticData.prices(800, 200, 200, 32), CheckpointSink.inMemory(), TrainingListener.NONE,
                StopSignal.NEVER);
        credit = ModelRuntime.load().load(creditOutcome.artifact());
        prices = ModelRuntime.load().load(priceOutcome.artifact());
    }

    @AfterAll
    static void close() {
        credit.close();
        prices.close();
    }

    @Test
    void predictsFromJsonLikeValues() {
        assertEquals(SyntheticData.FEATURES, credit.features());
        List<Prediction> answers = credit.predict(List.of(
                row(90_000, 5_000, "north"),
                row(25_000, 55_000, "south"),
                PredictionInput.features(Map.of("income", "80000", "debt", 1000))));
        assertEquals("safe", answers.get(0).label());
        assertEquals("risky", answers.get(1).label());
        assertEquals("safe", answers.get(2).label());
        assertTrue(answers.get(1).confidence() > 0.8, answers.get(1).toString());
    }

    @Test
    void regressionAnswersInTheTargetsUnits() {
        // 3 * 120 - 20 * 10 + 50 * ('s' - 'n') = 160 + 250 = 410
        Prediction answer = prices.predict(List.of(PredictionInput.features(
                Map.of("size", 120, "age", 10, "region", "south")))).get(0);
        assertEquals(410, answer.value(), 25);
        assertEquals(null, answer.label());
        assertEquals(TaskType.TABULAR_REGRESSION, prices.task());
        assertEquals(List.of(), prices.labels());
    }

    @Test
    void badFeaturesNameTheFieldAndRow() {
        Map<String, Object> unknown = new HashMap<>(Map.of("income", 1, "debt", 2, "colour", "red"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> credit.predict(List.of(row(1, 2, "north"), PredictionInput.features(unknown))));
        assertEquals("features.colour", e.field());
        assertEquals(1, e.row());

        InvalidInputException wrongType = assertThrows(InvalidInputException.class, () -> credit.predict(
                List.of(PredictionInput.features(Map.of("income", "a lot", "debt", 2)))));
        assertEquals("features.income", wrongType.field());
        assertEquals(0, wrongType.row());

        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> credit.predict(List.of(PredictionInput.text("hello"))));
        assertEquals("features", none.field());

        assertThrows(UnsupportedOperationException.class, () -> credit.explain(PredictionInput.text("hello"), 3));
    }

    private static PredictionInput row(double income, double debt, String region) {
        return PredictionInput.features(Map.of("income", income, "debt", debt, "region", region));
    }
}
