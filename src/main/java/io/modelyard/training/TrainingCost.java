package io.modelyard.training;

import io.modelyard.billing.Meter;
import io.modelyard.billing.metering.Quotas;
import io.modelyard.billing.metering.Reservation;
import io.modelyard.billing.Usage;
import io.modelyard.billing.ledger.UsageRecorder;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A training job's compute, from estimate to bill. Before it runs: an estimate, for {@code dry_run} and for
 * refusing a job the tenant's quota cannot cover, held against the quota while the job waits and runs. On the
 * worker: the hold moved to the meter of the device the engine actually trains on (GPU seconds on a GPU worker,
 * whatever the API assumed). At the end — success, failure or cancellation — the compute measured is charged on
 * that meter and the hold released, once per job ({@code job:<id>:compute}).
 *
 * <p>The estimate scales a per-sample cost measured on this project's CPU workers with the small presets by how
 * much work the network does per sample: width, layers, and sequence length — quadratically for a transformer's
 * attention (every token attends to every other, in every head). It errs on the high side (every text counted at
 * the full {@code max_sequence_length}), plus a fixed part for starting a job (engine, data, evaluation).
 */
@ApplicationScoped
class TrainingCost {

    /** Starting the engine, loading the data, evaluating and packing the model: paid once per job. */
    static final double FIXED_SECONDS = 30;

    /** Long enough for any queued job to start and finish; a lost job's hold lapses after it. */
    private static final Duration RESERVATION_TTL = Duration.ofHours(24);

    private final TrainingConfig config;
    private final Quotas quotas;
    private final UsageRecorder usage;

    TrainingCost(TrainingConfig config, Quotas quotas, UsageRecorder usage) {
        this.config = config;
        this.quotas = quotas;
        this.usage = usage;
    }

    TrainingEstimate estimate(String datasetVersionId, TrainingSpec spec, String modelName, long trainRows) {
        Meter meter = config.computeMeter();
        long estimated = estimatedSeconds(spec, trainRows);
        return new TrainingEstimate("training_estimate", datasetVersionId, spec.task(), spec.architecture(),
                spec.size(), spec.hyperparameters(), modelName, trainRows, estimated, meter.wireName(),
                quotas.estimate(meter, BigDecimal.valueOf(estimated)));
    }

    /** Whole seconds, at least one: rows × epochs × the per-sample cost, plus the fixed part, scaled. */
    long estimatedSeconds(TrainingSpec spec, long trainRows) {
        Hyperparameters h = spec.hyperparameters();
        double scale = switch (spec.architecture()) {
            // no preset of their own to measure against: scale with the length alone
            case LINEAR, IMPORTED_ENCODER -> Math.max(1.0, h.maxSequenceLength() / 64.0);
            default -> work(spec.architecture(), h) / work(spec.architecture(), smallPreset(spec.architecture()));
        };
        double perSample = referenceMicros(spec.architecture()) / 1e6 * scale;
        double seconds = FIXED_SECONDS + trainRows * (double) Math.max(1, h.epochs()) * perSample;
        return Math.max(1, (long) Math.ceil(seconds * config.costScale()));
    }

    /**
     * Holds the job's estimated compute against the tenant's quota, in the creating transaction: a job the
     * remaining hard quota cannot cover is refused up front (402, nothing enqueued), and concurrent creations
     * cannot together promise more than the quota. The meter is {@code modelyard.training.compute-meter} (what
     * the chart sets from its workers' GPUs); the worker moves the hold if its device says otherwise.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void reserve(TrainingEstimate estimate, String jobId) {
        quotas.reserve(config.computeMeter(), BigDecimal.valueOf(estimate.estimatedComputeSeconds()),
                reference(jobId), RESERVATION_TTL);
    }

    /** A job cancelled before it ran gives its hold back at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    void release(String jobId) {
        quotas.release(reference(jobId));
    }

    /**
     * On the worker, before training: makes sure the job's hold is on {@code meter} (the device's), moving it
     * from the other compute meter — or taking it afresh at {@code estimatedSeconds} when there is none — and
     * returns what is held. A plan whose GPU allowance cannot cover the hold refuses here (402): no free GPU
     * training.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    BigDecimal holdOn(String jobId, Meter meter, long estimatedSeconds) {
        List<Reservation> held = quotas.reservations(reference(jobId));
        BigDecimal quantity = BigDecimal.valueOf(estimatedSeconds);
        for (Reservation reservation : held) {
            if (reservation.meter() == meter) {
                return reservation.quantity();
            }
            quantity = reservation.quantity();
        }
        if (!held.isEmpty()) {
            quotas.release(reference(jobId));
        }
        return quotas.reserve(meter, quantity, reference(jobId), RESERVATION_TTL).quantity();
    }

    /**
     * Charges the compute a job used on {@code meter} and ends its hold, in the caller's transaction: the one
     * that registers the model, or the one that records the job failed or cancelled. Once per job.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void charge(String jobId, Meter meter, BigDecimal seconds, String modelId, Map<String, String> attributes) {
        if (seconds.signum() <= 0) {
            quotas.release(reference(jobId));
            return;
        }
        quotas.settle(reference(jobId), new Usage(meter, seconds, computeKey(jobId), null, modelId, jobId,
                attributes));
    }

    /** What each job holds and was charged, for showing it. */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<String, TrainingJobView.Compute> compute(Collection<String> jobIds) {
        Map<String, List<Reservation>> holds = quotas.reservations(jobIds.stream().map(TrainingCost::reference)
                .toList());
        Map<String, Usage> charged = usage.recorded(jobIds.stream().map(TrainingCost::computeKey).toList());
        Map<String, TrainingJobView.Compute> compute = new HashMap<>();
        for (String jobId : jobIds) {
            Usage bill = charged.get(computeKey(jobId));
            List<Reservation> hold = holds.getOrDefault(reference(jobId), List.of());
            Meter meter = bill != null ? bill.meter() : hold.isEmpty() ? null : hold.get(0).meter();
            if (meter == null) {
                continue;
            }
            BigDecimal held = hold.stream().map(Reservation::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            compute.put(jobId, new TrainingJobView.Compute(meter.wireName(), hold.isEmpty() ? null : held,
                    bill == null ? null : bill.quantity()));
        }
        return compute;
    }

    static String reference(String jobId) {
        return "job:" + jobId;
    }

    static String computeKey(String jobId) {
        return "job:" + jobId + ":compute";
    }

    static Meter meterOf(String device) {
        return "gpu".equals(device) ? Meter.TRAINING_GPU_SECONDS : Meter.TRAINING_CPU_SECONDS;
    }

    /** Seconds as charged: milliseconds, rounded up. */
    static BigDecimal seconds(BigDecimal value) {
        return value.setScale(3, RoundingMode.UP);
    }

    /** Microseconds per sample measured with each architecture's small preset on a CPU worker. */
    private static double referenceMicros(Architecture architecture) {
        return switch (architecture) {
            case BAG_OF_EMBEDDINGS -> 80;
            case MLP -> 25;
            case LINEAR -> 15;
            // an imported encoder's cost is unknown beforehand: assume a mid-sized one
            case IMPORTED_ENCODER -> 400;
            case TEXT_CNN -> 500;
            case TRANSFORMER -> 2400;
            case BILSTM -> 1800;
            case LSTM_CLASSIC -> 1875;
            // 32×32 images, small presets (bench/images.sh)
            case CNN_SMALL -> 1500;
            case VGG -> 4000;
            case RESNET -> 12000;
        };
    }

    /**
     * Work per sample, in proportion to the multiply-adds of a forward and backward pass: L tokens of width d,
     * hidden width k, n layers, h heads.
     */
    static double work(Architecture architecture, Hyperparameters h) {
        double length = Math.max(1, h.maxSequenceLength());
        double d = Math.max(1, h.embeddingSize());
        double k = Math.max(1, h.hiddenSize());
        double layers = Math.max(1, h.layers());
        double heads = Math.max(1, h.heads());
        return switch (architecture) {
            // embed, average, classify
            case BAG_OF_EMBEDDINGS -> length * d + d * k;
            // filters of widths 3, 4 and 5 over every position
            case TEXT_CNN -> length * d * k * 12;
            // four gates per step, both directions, per layer
            case BILSTM -> layers * 2 * length * 4 * k * (d + k);
            // Embedding(1000, 64) -> LSTM(64) -> LSTM(32), the same at every size but for the length
            case LSTM_CLASSIC -> length * 4 * (64 * (64 + 64) + 32 * (64 + 32));
            // per layer: Q, K, V and output projections and the feed-forward block (linear in L), attention
            // scores and their weighted sum (L x L x d), and the masking, softmax and dropout of every head's
            // L x L scores (a few passes over each)
            case TRANSFORMER -> layers * (length * (4 * d * d + 2 * d * k) + 2 * length * length * d
                    + 4 * heads * length * length);
            case MLP -> layers * k * k;
            case LINEAR, IMPORTED_ENCODER -> length * d;
            // convolutions: pixels × channels² per layer (the channels double as the pixels quarter)
            case CNN_SMALL, VGG -> (double) h.imageSize() * h.imageSize() * k * k * layers;
            case RESNET -> (double) h.imageSize() * h.imageSize() * k * k * h.layers();
        };
    }

    private static Hyperparameters smallPreset(Architecture architecture) {
        TaskType task = architecture.supports(TaskType.TEXT_CLASSIFICATION) ? TaskType.TEXT_CLASSIFICATION
                : architecture.isImage() ? TaskType.IMAGE_CLASSIFICATION : TaskType.TABULAR_CLASSIFICATION;
        return TrainingSpec.resolve(task, architecture, SizePreset.SMALL, null).hyperparameters();
    }
}
