package io.modelyard.serving.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.ProblemException;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.storage.BlobNotFoundException;
import io.modelyard.testing.TrainedModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model cache with real loaded models: byte bound, LRU order, single flight, leases, failed loads. */
class ModelCacheTest {

    private static byte[] artifact;
    private static long modelBytes;

    private final ExecutorService loaders = Executors.newFixedThreadPool(2);
    private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

    @BeforeAll
    static void aTrainedModel() {
        artifact = TrainedModels.topics().artifact();
        try (var model = ModelRuntime.load().load(artifact, new LoadOptions(1))) {
            modelBytes = model.approximateSizeBytes();
        }
    }

    @AfterEach
    void stopLoaders() {
        loaders.shutdownNow();
    }

    @Test
    void theByteBoundUnloadsTheLeastRecentlyUsedModel() {
        ModelCache cache = cache((long) (modelBytes * 2.5), this::realModel);
        use(cache, "a");
        use(cache, "b");
        use(cache, "a");
        use(cache, "c");
        assertTrue(cache.isLoaded(ref("a")), "used most recently before c: kept");
        assertFalse(cache.isLoaded(ref("b")), "least recently used: unloaded");
        assertTrue(cache.isLoaded(ref("c")));
        assertEquals(2 * modelBytes, cache.bytes());
        use(cache, "b");
        assertEquals(2, loads.get("b").get(), "b was loaded again");
        assertFalse(cache.isLoaded(ref("a")), "now a was the least recently used");
        assertEquals(1, loads.get("c").get());
        assertTrue(cache.bytes() <= cache.maxBytes());
    }

    @Test
    void anEvictedModelStaysOpenUntilItsLastLeaseIsReturned() {
        ModelCache cache = cache((long) (modelBytes * 1.5), this::realModel);
        ModelLease held = cache.acquire(ref("a"), Duration.ofSeconds(30));
        use(cache, "b");
        assertFalse(cache.isLoaded(ref("a")), "a was evicted to make room for b");
        assertEquals(1, held.model().predict(List.of(PredictionInput.text("tennis"))).size(),
                "the lease still predicts");
        ServedModel model = held.model();
        held.close();
        assertThrows(IllegalStateException.class, () -> model.predict(List.of(PredictionInput.text("tennis"))),
                "closed once the last lease came back");
    }

    @Test
    void sixtyFourConcurrentFirstRequestsShareOneLoad() throws Exception {
        CountDownLatch everyoneWaiting = new CountDownLatch(1);
        ModelCache cache = cache(Long.MAX_VALUE, ref -> {
            await(everyoneWaiting);
            return realModel(ref);
        });
        ExecutorService callers = Executors.newFixedThreadPool(64);
        CountDownLatch started = new CountDownLatch(64);
        List<Future<ServedModel>> models = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            models.add(callers.submit(() -> {
                started.countDown();
                try (ModelLease lease = cache.acquire(ref("shared"), Duration.ofSeconds(60))) {
                    return lease.model();
                }
            }));
        }
        started.await();
        Thread.sleep(200);
        everyoneWaiting.countDown();
        ServedModel first = models.get(0).get(60, TimeUnit.SECONDS);
        for (Future<ServedModel> model : models) {
            assertSame(first, model.get(60, TimeUnit.SECONDS));
        }
        callers.shutdown();
        assertEquals(1, loads.get("shared").get());
    }

    @Test
    void aCallerWhoCannotWaitGets503WhileTheLoadGoesOn() {
        CountDownLatch release = new CountDownLatch(1);
        ModelCache cache = cache(Long.MAX_VALUE, ref -> {
            await(release);
            return realModel(ref);
        });
        ProblemException busy = assertThrows(ProblemException.class,
                () -> cache.acquire(ref("slow"), Duration.ofMillis(50)));
        assertEquals(503, busy.status());
        assertEquals("model-loading", busy.type());
        assertEquals("1", busy.headers().get("Retry-After"));
        release.countDown();
        try (ModelLease lease = cache.acquire(ref("slow"), Duration.ofSeconds(60))) {
            assertEquals(1, lease.model().predict(List.of(PredictionInput.text("senate"))).size());
        }
        assertEquals(1, loads.get("slow").get(), "the waiting caller did not start a second load");
    }

    @Test
    void aFailedLoadIsNotCached() {
        AtomicInteger attempts = new AtomicInteger();
        ModelCache cache = cache(Long.MAX_VALUE, ref -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("disk hiccup");
            }
            return realModel(ref);
        });
        ProblemException failed = assertThrows(ProblemException.class,
                () -> cache.acquire(ref("flaky"), Duration.ofSeconds(30)));
        assertEquals(500, failed.status());
        assertEquals("model-load-failed", failed.type());
        assertFalse(failed.detail().contains("disk hiccup"), "internals stay internal");
        try (ModelLease lease = cache.acquire(ref("flaky"), Duration.ofSeconds(30))) {
            assertTrue(cache.isLoaded(ref("flaky")));
        }

        ModelCache gone = cache(Long.MAX_VALUE, ref -> {
            throw new BlobNotFoundException(ref.artifactKey());
        });
        assertEquals(404, assertThrows(ProblemException.class,
                () -> gone.acquire(ref("deleted"), Duration.ofSeconds(30))).status());
    }

    private ModelCache cache(long maxBytes, Function<ModelRef, ServedModel> loader) {
        return new ModelCache(maxBytes, ref -> {
            loads.computeIfAbsent(ref.id(), k -> new AtomicInteger()).incrementAndGet();
            return loader.apply(ref);
        }, loaders, new ModelCache.Listener() {
            @Override
            public void loaded(ModelRef model, long bytes, long nanos) {
            }

            @Override
            public void loadFailed(ModelRef model, Throwable failure) {
            }

            @Override
            public void evicted(ModelRef model, long bytes) {
            }
        }, Duration.ofSeconds(1));
    }

    private ServedModel realModel(ModelRef ref) {
        return new ServedModel(ModelRuntime.load().load(artifact, new LoadOptions(1)), null);
    }

    private static void use(ModelCache cache, String id) {
        try (ModelLease lease = cache.acquire(ref(id), Duration.ofSeconds(60))) {
            lease.model().predict(List.of(PredictionInput.text("football")));
        }
    }

    private static ModelRef ref(String id) {
        return new ModelRef(id, "ten_test", TaskType.TEXT_CLASSIFICATION, "k/" + id, "sha-" + id, 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
