package io.modelyard.training;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * {@code modelyard_training_samples_per_second{architecture,device}}: the training throughput of each finished
 * training job on this worker (examples processed over the run ÷ its compute seconds), a histogram so slow
 * outliers show. Labels: the architectures and devices, a small fixed set.
 */
@ApplicationScoped
class TrainingMetrics {

    private final MeterRegistry registry;

    TrainingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void trained(String architecture, String device, long samples, BigDecimal computeSeconds) {
        if (computeSeconds == null || computeSeconds.signum() <= 0 || samples <= 0) {
            return;
        }
        DistributionSummary.builder("modelyard.training.samples.per.second")
                .description("Training examples per compute second of finished training jobs")
                .tags("architecture", architecture, "device", device == null ? "unknown" : device)
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(1_000_000.0)
                .register(registry).record(samples / computeSeconds.doubleValue());
    }
}
