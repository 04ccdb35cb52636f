package io.modelyard.serving.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelyard.serving.ModelRef;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The model cache and batching as Prometheus sees them ({@code /q/metrics}):
 * {@code modelyard_serving_model_loads_total{outcome}}, {@code modelyard_serving_model_load_seconds},
 * {@code modelyard_serving_model_evictions_total}, {@code modelyard_serving_cache_lookups_total{result=hit|miss}},
 * {@code modelyard_serving_cache_bytes},
 * {@code modelyard_serving_cache_models}, {@code modelyard_serving_batch_rows}. No per-model tags: the number of
 * models is unbounded.
 */
final class ServingMetrics implements ModelCache.Listener {

    private final Counter loaded;
    private final Counter failed;
    private final Counter evictions;
    private final Counter hits;
    private final Counter misses;
    private final Timer loadTime;
    private final DistributionSummary batchRows;

    ServingMetrics(MeterRegistry registry, Supplier<Number> cacheBytes, Supplier<Number> cacheModels) {
        loaded = Counter.builder("modelyard.serving.model.loads").tag("outcome", "loaded")
                .description("Model loads into this process's cache").register(registry);
        failed = Counter.builder("modelyard.serving.model.loads").tag("outcome", "failed")
                .description("Model loads into this process's cache").register(registry);
        evictions = Counter.builder("modelyard.serving.model.evictions")
                .description("Models unloaded to keep the cache within its byte bound").register(registry);
        hits = Counter.builder("modelyard.serving.cache.lookups").tag("result", "hit")
                .description("Requests for a model that found it loaded (hit) or not (miss)").register(registry);
        misses = Counter.builder("modelyard.serving.cache.lookups").tag("result", "miss")
                .description("Requests for a model that found it loaded (hit) or not (miss)").register(registry);
        loadTime = Timer.builder("modelyard.serving.model.load").description("Time to load a model")
                .register(registry);
        batchRows = DistributionSummary.builder("modelyard.serving.batch.rows")
                .description("Rows per forward pass").register(registry);
        Gauge.builder("modelyard.serving.cache.bytes", cacheBytes).description("Bytes held by loaded models")
                .baseUnit("bytes").register(registry);
        Gauge.builder("modelyard.serving.cache.models", cacheModels).description("Models loaded")
                .register(registry);
    }

    @Override
    public void loaded(ModelRef model, long bytes, long nanos) {
        loaded.increment();
        loadTime.record(Duration.ofNanos(nanos));
    }

    @Override
    public void loadFailed(ModelRef model, Throwable failure) {
        failed.increment();
    }

    @Override
    public void evicted(ModelRef model, long bytes) {
        evictions.increment();
    }

    @Override
    public void looked(ModelRef model, boolean hit) {
        (hit ? hits : misses).increment();
    }

    void batch(int rows) {
        batchRows.record(rows);
    }
}
