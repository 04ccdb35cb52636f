package io.modelyard.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelLoadException;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.evaluation.Evaluation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServingTest extends EngineTests {

    private static TrainingData data;
    private static TrainingOutcome outcome;
    private static LoadedModel model;

    @BeforeAll
    static void trainAndLoad() {
        data = SyntheticData.topics(600, 150, 150, 21);
        outcome = ModelTrainer.load().train(TinySpecs.text(Architecture.TEXT_CNN, 4), data,
                CheckpointSink.inMemory(), TrainingListener.NONE, StopSignal.NEVER);
        model = ModelRuntime.load().load(outcome.artifact(), new LoadOptions(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theLoadedArtifactPredictsWhatTheEvaluationCounted() {
        assertEquals(TaskType.TEXT_CLASSIFICATION, model.task());
        assertEquals(Architecture.TEXT_CNN, model.architecture());
        assertEquals(SyntheticData.TOPICS, model.labels());
        assertEquals("text", model.textColumn());
        List<PredictionInput> inputs = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (Example example : data.test()) {
            inputs.add(PredictionInput.text(example.text()));
            actual.add(example.label());
        }
        List<String> predicted = new ArrayList<>();
        for (Prediction prediction : model.predict(inputs)) {
            predicted.add(prediction.label());
            assertEquals(1.0, prediction.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(),
                    1e-5);
        }
        Evaluation again = Evaluation.classification(model.labels(), actual, predicted);
        assertEquals(outcome.evaluation().classification().accuracy(), again.classification().accuracy());
        for (String a : model.labels()) {
            for (String p : model.labels()) {
                assertEquals(outcome.evaluation().classification().confusionMatrix().count(a, p),
                        again.classification().confusionMatrix().count(a, p), a + " predicted as " + p);
            }
        }
        assertTrue(again.classification().accuracy() >= 0.95);
    }

    @Test
    void aTextGetsTheSameAnswerAloneAndInABatch() {
        List<PredictionInput> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(PredictionInput.text(data.test().get(i).text()));
        }
        batch.add(PredictionInput.text("football " + "the news of the week ".repeat(5)));
        List<Prediction> together = model.predict(batch);
        for (int i = 0; i < batch.size(); i++) {
            Prediction alone = model.predict(List.of(batch.get(i))).get(0);
            assertEquals(alone.label(), together.get(i).label());
            for (String label : model.labels()) {
                assertEquals(alone.probabilities().get(label), together.get(i).probabilities().get(label), 1e-5);
            }
        }
    }

    @Test
    void sixteenThreadsEachGetTheirOwnAnswers() throws Exception {
        List<String> texts = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 64; i++) {
            texts.add(SyntheticData.sentence(random, SyntheticData.TOPIC_WORDS.get(i % 3)));
        }
        List<Prediction> expected = new ArrayList<>();
        for (String text : texts) {
            expected.add(model.predict(List.of(PredictionInput.text(text))).get(0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            Callable<Integer> caller = () -> {
                start.await();
                Random mine = new Random(thread);
                int checked = 0;
                for (int request = 0; request < 10; request++) {
                    List<Integer> rows = new ArrayList<>();
                    for (int k = 0; k < 1 + mine.nextInt(6); k++) {
                        rows.add(mine.nextInt(texts.size()));
                    }
                    List<PredictionInput> inputs = new ArrayList<>();
                    rows.forEach(r -> inputs.add(PredictionInput.text(texts.get(r))));
                    List<Prediction> answers = model.predict(inputs);
                    assertEquals(rows.size(), answers.size());
                    for (int k = 0; k < rows.size(); k++) {
                        Prediction want = expected.get(rows.get(k));
                        assertEquals(want.label(), answers.get(k).label());
                        assertEquals(want.confidence(), answers.get(k).confidence(), 1e-5);
                        checked++;
                    }
                }
                return checked;
            };
            results.add(pool.submit(caller));
        }
        start.countDown();
        int checked = 0;
        for (Future<Integer> result : results) {
            checked += result.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(checked >= 160, "every thread checked its answers: " + checked);
    }

    @Test
    void explainPutsTheTopicWordFirst() {
        Random random = new Random(9);
        for (int topic = 0; topic < 3; topic++) {
            String text = SyntheticData.sentence(random, SyntheticData.TOPIC_WORDS.get(topic));
            Explanation explanation = model.explain(PredictionInput.text(text), 3);
            assertEquals(SyntheticData.TOPICS.get(topic), explanation.label(), text);
            assertTrue(SyntheticData.TOPIC_WORDS.get(topic).contains(explanation.tokens().get(0).token()),
                    text + " -> " + explanation.tokens());
            assertTrue(explanation.tokens().size() <= 3);
            assertTrue(explanation.tokens().get(0).attribution() > 0.1, explanation.tokens().toString());
        }
    }

    @Test
    void badInputNamesTheFieldAndRow() {
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> model.predict(
                List.of(PredictionInput.text("good news"), PredictionInput.text("  "))));
        assertEquals("text", empty.field());
        assertEquals(1, empty.row());
        InvalidInputException noWords = assertThrows(InvalidInputException.class, () -> model.explain(PredictionInput.text("?!"), 3));
        assertEquals("text", noWords.field());
    }

    @Test
    void aCorruptArtifactIsRefused() {
        assertThrows(ModelLoadException.class, () -> ModelRuntime.load().load(new byte[] {1, 2, 3}));
        byte[] cut = java.util.Arrays.copyOf(outcome.artifact(), outcome.artifact().length / 2);
        assertThrows(ModelLoadException.class, () -> ModelRuntime.load().load(cut));
    }

    @Test
    void theSizeCountsTheWeights() {
        // vocabulary (<= 500) x 32 embedding + 3 kernels x 32 filters x 32 x (3..5) + head: tens of KB
        long size = model.approximateSizeBytes();
        assertTrue(size > 100_000 && size < 5_000_000, "size " + size);
    }
}
