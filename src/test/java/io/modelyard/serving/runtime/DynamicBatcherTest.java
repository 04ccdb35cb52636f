package io.modelyard.serving.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.SyntheticData;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.testing.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batching with a real model: requests are gathered, answers never cross, one bad input fails only its request. */
class DynamicBatcherTest {

    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = ModelRuntime.load().load(TrainedModels.topics().artifact(), new LoadOptions(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void concurrentRequestsAreGatheredAndGetTheirOwnRows() throws Exception {
        List<Integer> passes = new CopyOnWriteArrayList<>();
        List<String> texts = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 48; i++) {
            texts.add(SyntheticData.sentence(random, SyntheticData.TOPIC_WORDS.get(i % 3)) + " " + i);
        }
        List<Prediction> alone = new ArrayList<>();
        for (String text : texts) {
            alone.add(model.predict(List.of(PredictionInput.text(text))).get(0));
        }
        try (DynamicBatcher batcher = new DynamicBatcher(model, "test", 16, 2_000_000, 2, passes::add)) {
            ExecutorService callers = Executors.newFixedThreadPool(48);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int row = i;
                done.add(callers.submit(() -> {
                    start.await();
                    for (int round = 0; round < 5; round++) {
                        List<Prediction> answer = batcher.predict(List.of(PredictionInput.text(texts.get(row)),
                                PredictionInput.text(texts.get((row + round) % texts.size()))));
                        assertEquals(2, answer.size());
                        assertEquals(alone.get(row).label(), answer.get(0).label());
                        assertEquals(alone.get(row).confidence(), answer.get(0).confidence(), 1e-5);
                        Prediction second = alone.get((row + round) % texts.size());
                        assertEquals(second.confidence(), answer.get(1).confidence(), 1e-5);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            callers.shutdown();
        }
        int rows = passes.stream().mapToInt(Integer::intValue).sum();
        assertEquals(48 * 5 * 2, rows, "every row ran exactly once");
        assertTrue(passes.size() < 48 * 5, "requests shared forward passes: " + passes.size() + " passes");
        assertTrue(passes.stream().allMatch(p -> p <= 16), "no pass above the maximum batch size");
    }

    @Test
    void oneBadInputFailsOnlyItsOwnRequest() throws Exception {
        try (DynamicBatcher batcher = new DynamicBatcher(model, "test", 64, 50_000_000, 1, rows -> { })) {
            ExecutorService callers = Executors.newFixedThreadPool(3);
            Future<List<Prediction>> good = callers.submit(() -> batcher.predict(List.of(PredictionInput.text("tennis"))));
            Future<List<Prediction>> bad = callers.submit(() -> batcher.predict(List.of(PredictionInput.text("senate"),
                    PredictionInput.text("  "))));
            Future<List<Prediction>> alsoGood = callers.submit(() -> batcher.predict(List.of(
                    PredictionInput.text("physics"))));
            assertEquals("sport", good.get(1, TimeUnit.MINUTES).get(0).label());
            assertEquals("science", alsoGood.get(1, TimeUnit.MINUTES).get(0).label());
            var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> bad.get(1, TimeUnit.MINUTES));
            InvalidInputException invalid = (InvalidInputException) failure.getCause();
            assertEquals(1, invalid.row(), "the row within its own request");
            callers.shutdown();
        }
    }

    @Test
    void aRequestLargerThanTheBatchSizeRunsWhole() {
        List<Integer> passes = new CopyOnWriteArrayList<>();
        try (DynamicBatcher batcher = new DynamicBatcher(model, "test", 4, 0, 1, passes::add)) {
            List<PredictionInput> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add(PredictionInput.text("football " + i));
            }
            assertEquals(10, batcher.predict(ten).size());
        }
        assertEquals(List.of(10), passes);
    }
}
