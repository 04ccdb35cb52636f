package io.modelyard.serving.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelyard.serving.InferenceBackend;
import io.modelyard.serving.InferenceResult;
import io.modelyard.serving.InputRejectedException;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.ServingConfig;
import io.modelyard.serving.engine.Explanation;
import io.modelyard.serving.engine.InvalidInputException;
import io.modelyard.serving.engine.LoadOptions;
import io.modelyard.serving.engine.LoadedModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.storage.BlobStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Predictions in this process (roles {@code all} and {@code worker}): models come from the blob store into the
 * {@link ModelCache}, requests go through the model's {@link DynamicBatcher} when batching is on. The engine
 * ({@link ModelRuntime}, i.e. PyTorch) is looked up on the first load, never before, so nothing here loads it
 * in a process that does not predict.
 */
@ApplicationScoped
@Typed(LocalInference.class)
public class LocalInference implements InferenceBackend {

    private final ServingConfig config;
    private final BlobStore blobs;
    private final ExecutorService loaders;
    private final ServingMetrics metrics;
    private final ModelCache cache;
    private volatile ModelRuntime runtime;

    LocalInference(ServingConfig config, BlobStore blobs, MeterRegistry registry) {
        this.config = config;
        this.blobs = blobs;
        AtomicInteger n = new AtomicInteger();
        this.loaders = Executors.newFixedThreadPool(Math.max(1, config.cache().loaderThreads()), r -> {
            Thread thread = new Thread(r, "model-loader-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ModelCache[] self = new ModelCache[1];
        this.metrics = new ServingMetrics(registry, () -> self[0].bytes(), () -> self[0].loadedModels());
        this.cache = new ModelCache(config.cache().maxBytes().asLongValue(), this::load, loaders, metrics,
                config.loadingRetryAfter());
        self[0] = cache;
    }

    @Override
    public InferenceResult infer(ModelRef model, List<PredictionInput> inputs, boolean explain, int explainTokens,
            Duration wait) {
        try (ModelLease lease = cache.acquire(model, wait)) {
            List<Prediction> predictions = lease.model().predict(inputs);
            List<Explanation> explanations = null;
            int passes = inputs.size();
            if (explain) {
                explanations = new ArrayList<>(inputs.size());
                for (PredictionInput input : inputs) {
                    explanations.add(lease.model().model().explain(input, explainTokens));
                    passes += lease.model().model().explanationPasses(input);
                }
            }
            return new InferenceResult(predictions, explanations, passes);
        } catch (InvalidInputException e) {
            throw new InputRejectedException(e.getMessage(), e.field(), e.row());
        }
    }

    @Override
    public ModelSignature describe(ModelRef model, Duration wait) {
        try (ModelLease lease = cache.acquire(model, wait)) {
            LoadedModel loaded = lease.model().model();
            return new ModelSignature(loaded.task(), loaded.textColumn(), loaded.features(),
                    loaded.labels());
        }
    }

    @Override
    public boolean ready(ModelRef model) {
        return cache.loadedOrStartLoading(model);
    }

    private ServedModel load(ModelRef ref) {
        byte[] artifact;
        try (InputStream in = blobs.open(ref.artifactKey(), ref.artifactSha256())) {
            artifact = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + ref.artifactKey(), e);
        }
        int predictors = config.predictors().orElse(LoadOptions.defaults().predictors());
        LoadedModel model = runtime().load(artifact, new LoadOptions(predictors));
        if (!config.batching().enabled()) {
            return new ServedModel(model, null);
        }
        DynamicBatcher batcher = new DynamicBatcher(model, ref.id(), config.batching().maxBatchSize(),
                TimeUnit.MICROSECONDS.toNanos(config.batching().maxWaitMicros()), predictors, metrics::batch);
        return new ServedModel(model, batcher);
    }

    private ModelRuntime runtime() {
        ModelRuntime loaded = runtime;
        if (loaded == null) {
            synchronized (this) {
                loaded = runtime;
                if (loaded == null) {
                    loaded = ModelRuntime.load();
                    runtime = loaded;
                }
            }
        }
        return loaded;
    }

    /** Unloads the erased tenant's models at once rather than when the cache needs room. */
    int unloadTenant(String tenantId) {
        return cache.evictTenant(tenantId);
    }

    @PreDestroy
    void unloadAll() {
        cache.close();
        loaders.shutdownNow();
    }
}
