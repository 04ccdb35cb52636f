package io.modelyard.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.modelyard.common.MetricsConfig;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code modelyard_prediction_seconds{model,protocol,outcome}}: a latency histogram of predictions as this process
 * answers them (in the api role, forwarding to a worker included), so p99 per model can be computed. The
 * {@code model} label is bounded: the first {@code modelyard.metrics.max-model-labels} models a process serves get
 * their own series, every later one counts as {@code other} — a tenant making models cannot grow the series
 * without end.
 */
@ApplicationScoped
public class PredictionMetrics {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxModelLabels;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();

    PredictionMetrics(MeterRegistry registry, MetricsConfig config) {
        this.registry = registry;
        this.maxModelLabels = config.maxModelLabels();
    }

    /** Runs {@code prediction}, recording how long it took and whether it answered. */
    public <T> T timed(String modelId, String protocol, Supplier<T> prediction) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            T result = prediction.get();
            outcome = "ok";
            return result;
        } finally {
            timer(label(modelId), protocol, outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    String label(String modelId) {
        if (labelled.contains(modelId)) {
            return modelId;
        }
        synchronized (labelled) {
            if (labelled.size() < maxModelLabels) {
                labelled.add(modelId);
                return modelId;
            }
        }
        return OTHER;
    }

    private Timer timer(String model, String protocol, String outcome) {
        return Timer.builder("modelyard.prediction").description("Prediction latency as this process answers it")
                .tags("model", model, "protocol", protocol, "outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
    }
}
