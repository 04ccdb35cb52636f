package io.modelyard.training;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Quotas;
import io.modelyard.training.engine.Architecture;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Estimates a training job's compute before it runs, for {@code dry_run} and for refusing a job the tenant's
 * quota cannot cover. Per-sample costs were measured on this project's CPU workers with the small presets and
 * scale with the model's width and sequence length; they err on the high side.
 */
@ApplicationScoped
class TrainingCost {

    private static final double FIXED_SECONDS = 5;

    /** Long enough for any queued job to start and finish; a failed job's hold lapses after it. */
    private static final Duration RESERVATION_TTL = Duration.ofHours(24);

    private final TrainingConfig config;
    private final Quotas quotas;

    TrainingCost(TrainingConfig config, Quotas quotas) {
        this.config = config;
        this.quotas = quotas;
    }

    TrainingEstimate estimate(String datasetVersionId, TrainingSpec spec, String modelName, long trainRows) {
        Meter meter = config.computeMeter();
        long estimated = seconds(spec, trainRows);
        return new TrainingEstimate("training_estimate", datasetVersionId, spec.task(), spec.architecture(),
                spec.size(), spec.hyperparameters(), modelName, trainRows, estimated, meter.wireName(),
                quotas.estimate(meter, BigDecimal.valueOf(estimated)));
    }

    /** The estimated seconds alone: rows × epochs × the architecture's cost per sample, scaled by width and length. */
    long seconds(TrainingSpec spec, long trainRows) {
        var h = spec.hyperparameters();
        double perSample = microsPerSample(spec.architecture()) / 1e6;
        double width = Math.max(1.0, h.embeddingSize() / 64.0) * Math.max(1.0, h.hiddenSize() / 64.0);
        double length = !spec.architecture().readsText(spec.task()) ? 1.0 : Math.max(1.0, h.maxSequenceLength() / 64.0);
        double seconds = FIXED_SECONDS + trainRows * (double) h.epochs() * perSample * width * length;
        return (long) Math.ceil(seconds);
    }

    /**
     * Holds the job's estimated compute against the tenant's quota, in the creating transaction: a job the
     * remaining hard quota cannot cover is refused up front (402, nothing enqueued), and concurrent creations
     * cannot together promise more than the quota. Settled with the measured seconds when the job finishes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void reserve(TrainingEstimate estimate, String jobId) {
        quotas.reserve(config.computeMeter(), BigDecimal.valueOf(estimate.estimatedComputeSeconds()),
                reference(jobId), RESERVATION_TTL);
    }

    /** A cancelled job gives its hold back at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    void release(String jobId) {
        quotas.release(reference(jobId));
    }

    static String reference(String jobId) {
        return "job:" + jobId;
    }

    private static double microsPerSample(Architecture architecture) {
        return switch (architecture) {
            case BAG_OF_EMBEDDINGS -> 40;
            case MLP -> 25;
            case LINEAR -> 15;
            // an imported encoder's cost is unknown beforehand: assume a mid-sized one
            case IMPORTED_ENCODER -> 400;
            case TEXT_CNN -> 250;
            case TRANSFORMER -> 600;
            case BILSTM -> 900;
            case LSTM_CLASSIC -> 1200;
        };
    }
}
