package io.modelyard.training;

import io.modelyard.billing.Meter;
import io.modelyard.billing.metering.Quotas;
import io.modelyard.billing.metering.UsageEstimate;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What other kinds of training work (tuning, compression, distillation jobs) need of training: a dataset
 * version's shape and rows, the engine, the compute estimate and its hold against the quota, and the
 * registration of a model together with the compute billed once per job — the same calls, in the same
 * transactions, as a training job makes.
 */
@ApplicationScoped
public class TrainingRuns {

    /** Long enough for any queued job to start and finish; a failed job's hold lapses after it. */
    private static final Duration RESERVATION_TTL = Duration.ofHours(24);

    private final TrainingDatasets datasets;
    private final TrainingDataLoader loader;
    private final TrainingCost cost;
    private final ModelRegistry models;
    private final Quotas quotas;
    private final TrainingConfig config;
    private final CheckpointStore checkpoints;
    private final io.modelyard.storage.BlobStore blobs;
    private volatile ModelTrainer trainer;

    TrainingRuns(TrainingDatasets datasets, TrainingDataLoader loader, TrainingCost cost, ModelRegistry models,
            Quotas quotas, TrainingConfig config, CheckpointStore checkpoints, io.modelyard.storage.BlobStore blobs) {
        this.checkpoints = checkpoints;
        this.blobs = blobs;
        this.datasets = datasets;
        this.loader = loader;
        this.cost = cost;
        this.models = models;
        this.quotas = quotas;
        this.config = config;
    }

    /**
     * A dataset version as a job sees it before it is queued.
     *
     * @param labels the classes of a classification dataset, sorted; empty for regression
     */
    public record DatasetShape(String versionId, TaskType task, String datasetName, List<String> labels,
            long trainRows) {
    }

    /** @throws ProblemException 404 for an unknown or foreign version */
    @Transactional
    public DatasetShape describe(String versionId) {
        TrainingDatasets.Description d = datasets.describe(versionId);
        List<String> labels = datasets.forTraining(versionId).labels();
        return new DatasetShape(versionId, d.task(), d.datasetName(), labels, d.trainRows());
    }

    /**
     * The rows of a version, split as they were at upload, on a worker.
     *
     * @throws JobFailedException when the version is gone or too large
     */
    public TrainingData load(String versionId, TaskType task) {
        TrainingDataset dataset;
        try {
            dataset = QuarkusTransaction.requiringNew().call(() -> datasets.forTraining(versionId));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new JobFailedException("dataset_version_not_found",
                        "The dataset version " + versionId + " no longer exists.");
            }
            throw e;
        }
        return loader.load(dataset, task);
    }

    /** The training engine, loaded on first use (workers only: it loads PyTorch). */
    public ModelTrainer trainer() {
        ModelTrainer engine = trainer;
        if (engine == null) {
            synchronized (this) {
                if (trainer == null) {
                    trainer = ModelTrainer.load();
                }
                engine = trainer;
            }
        }
        return engine;
    }

    /** The checkpoints, compute, events and stop signal of the job's training run, resumed where it stopped. */
    public JobTraining jobTraining(io.modelyard.job.JobExecution execution) {
        return new JobTraining(checkpoints, execution, trainer().device(), config.checkpointInterval());
    }

    /**
     * On a worker: the artifact of a model of the tenant a job builds on.
     *
     * @throws JobFailedException when the model was deleted meanwhile
     */
    public byte[] modelArtifact(String modelId) {
        io.modelyard.model.SourceModel source;
        try {
            source = QuarkusTransaction.requiringNew().call(() -> models.source(modelId));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new JobFailedException("model_not_found", "The model " + modelId + " no longer exists.");
            }
            throw e;
        }
        try (java.io.InputStream in = blobs.open(source.artifactKey(), source.artifactSha256())) {
            return in.readAllBytes();
        } catch (java.io.IOException | io.modelyard.storage.BlobStoreException e) {
            throw JobFailedException.retryable("artifact_unreadable", "The artifact of " + modelId
                    + " could not be read.", e);
        }
    }

    /** Seconds one training run of {@code spec} on {@code trainRows} rows is expected to take, on the high side. */
    public long estimateSeconds(TrainingSpec spec, long trainRows) {
        return cost.estimatedSeconds(spec, trainRows);
    }

    /** What {@code seconds} more compute would cost this tenant, and whether its hard quota admits them. */
    public UsageEstimate price(long seconds) {
        return quotas.estimate(config.computeMeter(), BigDecimal.valueOf(seconds));
    }

    /** The meter estimates and holds are made on. */
    public Meter computeMeter() {
        return config.computeMeter();
    }

    /**
     * Holds {@code seconds} of compute for the job against the quota, in the creating transaction (402 when the
     * remaining hard quota cannot cover them, rolling the creation back). Holding again changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void hold(String jobId, long seconds) {
        quotas.reserve(config.computeMeter(), BigDecimal.valueOf(Math.max(1, seconds)), TrainingCost.reference(jobId),
                RESERVATION_TTL);
    }

    /**
     * On the worker, before training: the job's hold moved to the meter of the device the engine trains on (or
     * taken afresh at {@code estimatedSeconds}); returns what is held. The run may use the hold plus
     * {@link #holdMargin} before it is stopped. A quota that cannot cover the hold on that meter fails the job
     * (a plan without GPU allowance does not train on a GPU worker).
     */
    public BigDecimal holdOnDevice(String jobId, long estimatedSeconds) {
        Meter meter = TrainingCost.meterOf(trainer().device());
        try {
            return QuarkusTransaction.requiringNew().call(() -> cost.holdOn(jobId, meter, estimatedSeconds));
        } catch (ProblemException e) {
            if (e.status() == 402) {
                String detail = e.detail();
                throw new JobFailedException("quota_exceeded", "This job runs on a "
                        + (meter == Meter.TRAINING_GPU_SECONDS ? "GPU" : "CPU") + " worker, and "
                        + Character.toLowerCase(detail.charAt(0)) + detail.substring(1))
                        .whenRecorded(() -> cost.charge(jobId, meter, BigDecimal.ZERO, null, Map.of()));
            }
            throw e;
        }
    }

    /** The margin over its hold a job's compute may reach before it is stopped, as a fraction. */
    public double holdMargin() {
        return Math.max(0, config.holdMargin());
    }

    /**
     * A failure for good that charges the compute used until then, in the transaction that records it (a failed
     * job pays for what it ran, once).
     */
    public JobFailedException failed(String code, String message, String jobId, BigDecimal seconds,
            Map<String, String> attributes) {
        Meter meter = TrainingCost.meterOf(trainer().device());
        return new JobFailedException(code, message).whenRecorded(
                () -> cost.charge(jobId, meter, seconds, null, attributes));
    }

    /** A cancelled run's stop, charging the compute it used when the cancellation is recorded. */
    public JobStoppedException cancelled(String jobId, BigDecimal seconds,
            Map<String, String> attributes) {
        Meter meter = TrainingCost.meterOf(trainer().device());
        return new JobStoppedException(StopReason.CANCEL).whenRecorded(
                () -> cost.charge(jobId, meter, seconds, null, attributes));
    }

    /** Gives a cancelled job's hold back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(String jobId) {
        cost.release(jobId);
    }

    /**
     * Registers the job's model and records the compute the job used, once per job, in one new transaction;
     * the record replaces the hold taken when the job was created.
     *
     * @param device     {@code cpu} or {@code gpu}: which meter the seconds go to
     * @param attributes recorded with the usage, e.g. the architecture
     */
    public ModelView registerAndBill(String jobId, NewModel model, BigDecimal seconds, String device,
            Map<String, String> attributes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ModelView view = models.register(model);
            settle(jobId, seconds, device, view.id(), attributes);
            return view;
        });
    }

    /** Records the compute of a job that registers no model (it ran out of budget, or its result was refused). */
    public void bill(String jobId, BigDecimal seconds, String device, Map<String, String> attributes) {
        QuarkusTransaction.requiringNew().run(() -> settle(jobId, seconds, device, null, attributes));
    }

    /** The model a job registered, if it did (a run may be repeated after it finished its work). */
    public java.util.Optional<ModelView> registeredBy(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> models.findByTrainingJob(jobId));
    }

    private void settle(String jobId, BigDecimal seconds, String device, String modelId,
            Map<String, String> attributes) {
        Map<String, String> recorded = new LinkedHashMap<>(attributes);
        recorded.put("device", device);
        cost.charge(jobId, TrainingCost.meterOf(device), seconds, modelId, recorded);
    }

    /** Rows per split and the training label distribution, for the model card. */
    public static Map<String, Object> dataSummary(TrainingData data) {
        Map<String, Object> rows = Map.of("train", data.train().size(), "validation", data.validation().size(),
                "test", data.test().size());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        if (!data.labelClasses().isEmpty()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            data.labelClasses().forEach(l -> counts.put(l, 0L));
            data.train().forEach(e -> counts.merge(e.label(), 1L, Long::sum));
            summary.put("train_label_counts", counts);
            long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
            long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
            summary.put("imbalance_ratio", min == 0 ? null : (double) max / min);
        }
        return summary;
    }

    /** The architecture a training job gets when its request names none. */
    public static Architecture defaultArchitecture(TaskType task) {
        return switch (task) {
            case TEXT_CLASSIFICATION -> Architecture.BAG_OF_EMBEDDINGS;
            case IMAGE_CLASSIFICATION -> Architecture.CNN_SMALL;
            case TABULAR_CLASSIFICATION, TABULAR_REGRESSION -> Architecture.MLP;
        };
    }

    /** The small preset of {@code architecture} with {@code seed}: what a training job naming nothing else trains. */
    public static TrainingSpec presetSpec(TaskType task, Architecture architecture, long seed) {
        return TrainingSpec.resolve(task, architecture, SizePreset.SMALL, new HyperparameterOverrides(null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, seed, null));
    }

    /** A registry name from a dataset's name: lowercase, safe characters, at most 40. */
    public static String slug(String name) {
        return TrainingJobService.slug(name);
    }
}
