package io.modelyard.training;

import io.modelyard.billing.Meter;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.job.JobEventLevel;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.engine.Checkpoint;
import io.modelyard.training.engine.CheckpointSink;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.MessageLevel;
import io.modelyard.training.engine.ModelTrainer;
import io.modelyard.training.engine.StopSignal;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingListener;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.TrainingProgress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code train} jobs on workers: loads the dataset version, trains with the engine in {@code ml/} (found
 * through ServiceLoader, so only worker processes ever load PyTorch), checkpoints to the blob store, resumes
 * from the last checkpoint after a lost worker, and on success registers the model.
 *
 * <p>Compute: before training, the job's hold is put on the meter of the device the engine reports (GPU seconds
 * on a GPU worker); a job whose compute passes its hold by {@code modelyard.training.hold-margin} is stopped
 * ({@code compute_limit_exceeded}); and whatever way it ends — registered, failed for good, cancelled — the
 * compute it used is charged once, on that meter ({@link TrainingCost}).
 */
@ApplicationScoped
public class TrainingJobHandler implements JobHandler {

    public static final String TYPE = "train";
    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingDatasets datasets;
    private final TrainingDataLoader loader;
    private final CheckpointStore checkpoints;
    private final ModelRegistry models;
    private final BlobStore blobs;
    private final TrainingCost cost;
    private final TrainingConfig config;
    private final TenantContext context;
    private volatile ModelTrainer trainer;

    TrainingJobHandler(TrainingDatasets datasets, TrainingDataLoader loader, CheckpointStore checkpoints,
            ModelRegistry models, BlobStore blobs, TrainingCost cost, TrainingConfig config, TenantContext context) {
        this.datasets = datasets;
        this.loader = loader;
        this.checkpoints = checkpoints;
        this.models = models;
        this.blobs = blobs;
        this.cost = cost;
        this.config = config;
        this.context = context;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        Optional<ModelView> registered = QuarkusTransaction.requiringNew().call(() -> models.findByTrainingJob(jobId));
        if (registered.isPresent()) {
            // An earlier run finished the work but its worker died before completing the job.
            return result(registered.get());
        }
        TrainingJobPayload payload = execution.payload(TrainingJobPayload.class);
        TrainingDataset dataset;
        try {
            dataset = datasets.forTraining(payload.datasetVersionId());
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new JobFailedException("dataset_version_not_found",
                        "The dataset version " + payload.datasetVersionId() + " no longer exists.");
            }
            throw e;
        }
        TrainingData data = loader.load(dataset, payload.task());
        execution.events().info("Loaded " + data.train().size() + " training, " + data.validation().size()
                + " validation and " + data.test().size() + " test rows.");

        Optional<CheckpointStore.Stored> resumeFrom = execution.resumed() ? checkpoints.latest(jobId) : Optional.empty();
        ComputeClock compute = new ComputeClock(resumeFrom.map(CheckpointStore.Stored::computeSeconds)
                .orElse(BigDecimal.ZERO));
        ModelTrainer engine = engine();
        String device = engine.device();
        Meter meter = TrainingCost.meterOf(device);
        BigDecimal held = hold(jobId, meter, cost.estimatedSeconds(payload.spec(), data.train().size()));
        BigDecimal limit = held.multiply(BigDecimal.valueOf(1 + Math.max(0, config.holdMargin())));
        Map<String, String> attributes = Map.of("architecture", payload.architecture().wireName(), "device", device);
        TrainingOutcome outcome;
        try {
            outcome = engine.train(payload.spec(), data, sink(execution, resumeFrom, compute, device),
                    listener(execution), stopSignal(execution, compute, limit));
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            StopReason reason = execution.stopRequested();
            if (reason == StopReason.NONE && compute.overran()) {
                checkpoints.deleteAll(jobId);
                throw failed("compute_limit_exceeded", "This job used " + TrainingCost.seconds(compute.total())
                        .toPlainString() + " s of compute, more than the " + held.stripTrailingZeros()
                        .toPlainString() + " s of " + meter.wireName() + " held for it (its estimate) plus the "
                        + Math.round(config.holdMargin() * 100) + "% margin, and was stopped. Train fewer epochs "
                        + "or rows, a smaller architecture or a shorter max_sequence_length; dry_run shows the "
                        + "estimate.", jobId, meter, compute, attributes);
            }
            if (reason == StopReason.CANCEL || reason == StopReason.NONE) {
                checkpoints.deleteAll(jobId);
                BigDecimal used = compute.total();
                throw new JobStoppedException(StopReason.CANCEL).whenRecorded(
                        () -> cost.charge(jobId, meter, used, null, attributes));
            }
            throw new JobStoppedException(reason);
        } catch (InvalidTrainingSpecException e) {
            throw failed("invalid_hyperparameters", e.getMessage(), jobId, meter, compute, attributes);
        } catch (TrainingDataException e) {
            throw failed("invalid_training_data", e.getMessage(), jobId, meter, compute, attributes);
        } catch (TrainingDivergedException e) {
            throw failed("training_diverged", e.getMessage(), jobId, meter, compute, attributes);
        }

        String artifactKey = CheckpointStore.prefix(context.requireTenant(), jobId) + "model.zip";
        BlobInfo artifact = blobs.put(artifactKey, new ByteArrayInputStream(outcome.artifact()), MAX_ARTIFACT_BYTES);
        BigDecimal seconds = compute.total();
        Meter charged = TrainingCost.meterOf(outcome.device());
        ModelView model = QuarkusTransaction.requiringNew().call(() -> {
            ModelView view = models.register(new NewModel(payload.modelName(), payload.task().wireName(),
                    payload.architecture().wireName(), payload.datasetVersionId(), jobId,
                    payload.hyperparameters(), outcome.evaluation(), trainingSummary(outcome, seconds),
                    dataSummary(data), data.labelClasses(), artifact, Map.of(), payload.createdBy()));
            // One record per job, whatever the number of attempts: the key is the job's. It replaces the hold.
            cost.charge(jobId, charged, seconds, view.id(), Map.of("architecture", payload.architecture().wireName(),
                    "device", outcome.device()));
            return view;
        });
        checkpoints.deleteAll(jobId);
        execution.events().info("Registered model " + model.id() + " (" + model.name() + " v" + model.version()
                + ").");
        return result(model);
    }

    private CheckpointSink sink(JobExecution execution, Optional<CheckpointStore.Stored> resumeFrom,
            ComputeClock compute, String device) {
        return new CheckpointSink() {
            @Override
            public void save(Checkpoint checkpoint) {
                checkpoints.save(execution.jobId(), execution.attempt(), checkpoint, compute.total(), device);
                execution.events().checkpoint(Map.of("completed_epochs", checkpoint.completedEpochs(),
                        "step_in_epoch", checkpoint.stepInEpoch(), "global_step", checkpoint.globalStep()));
            }

            @Override
            public Optional<Checkpoint> latest() {
                return resumeFrom.map(CheckpointStore.Stored::checkpoint);
            }
        };
    }

    private static TrainingListener listener(JobExecution execution) {
        Instant started = Instant.now();
        return new TrainingListener() {
            @Override
            public void epochCompleted(EpochMetrics m) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("epoch", m.epoch());
                values.put("train_loss", m.trainLoss());
                values.put("val_loss", m.valLoss());
                putIfPresent(values, "val_accuracy", m.valAccuracy());
                putIfPresent(values, "val_f1", m.valF1());
                putIfPresent(values, "val_mse", m.valMse());
                putIfPresent(values, "val_mae", m.valMae());
                values.put("learning_rate", m.learningRate());
                values.put("improved", m.improved());
                values.put("duration_ms", m.durationMillis());
                execution.events().metrics(values);
            }

            @Override
            public void progress(TrainingProgress p) {
                double fraction = p.fraction();
                Instant eta = null;
                if (fraction > 0.02) {
                    long elapsed = Duration.between(started, Instant.now()).toMillis();
                    eta = Instant.now().plusMillis((long) (elapsed * (1 - fraction) / fraction));
                }
                execution.events().progress(Math.min(99.0, fraction * 100), eta);
            }

            @Override
            public void message(MessageLevel level, String text) {
                execution.events().message(level == MessageLevel.WARN ? JobEventLevel.WARNING : JobEventLevel.INFO,
                        text);
            }

            @Override
            public void resumed(int fromEpoch, long fromStep) {
                execution.events().info("Resumed from the checkpoint after epoch " + fromEpoch + " (step "
                        + fromStep + ").");
            }
        };
    }

    /**
     * The job's hold on the meter of its device, moved there if the API held another; a quota that cannot cover
     * it fails the job (a plan without GPU allowance does not train on a GPU worker).
     */
    private BigDecimal hold(String jobId, Meter meter, long estimatedSeconds) {
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

    /** A failure for good that charges the compute used until then. */
    private JobFailedException failed(String code, String message, String jobId, Meter meter, ComputeClock compute,
            Map<String, String> attributes) {
        BigDecimal used = compute.total();
        return new JobFailedException(code, message).whenRecorded(
                () -> cost.charge(jobId, meter, used, null, attributes));
    }

    private static StopSignal stopSignal(JobExecution execution, ComputeClock compute, BigDecimal limit) {
        return new StopSignal() {
            @Override
            public boolean cancelRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.CANCEL || reason == StopReason.LEASE_LOST || compute.passes(limit);
            }

            @Override
            public boolean checkpointAndStopRequested() {
                return execution.stopRequested() == StopReason.SHUTDOWN;
            }
        };
    }

    private static Map<String, Object> trainingSummary(TrainingOutcome outcome, BigDecimal seconds) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs_run", outcome.epochsRun());
        summary.put("best_epoch", outcome.bestEpoch());
        summary.put("early_stopped", outcome.earlyStopped());
        summary.put("samples_processed", outcome.samplesProcessed());
        summary.put("device", outcome.device());
        summary.put("compute_seconds", seconds);
        summary.put("history", outcome.history());
        return summary;
    }

    private static Map<String, Object> dataSummary(TrainingData data) {
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

    private static JobResult result(ModelView model) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model_id", model.id());
        result.put("model_name", model.name());
        result.put("model_version", model.version());
        result.put("evaluation", model.evaluation());
        return JobResult.of(result);
    }

    private static void putIfPresent(Map<String, Object> values, String key, Double value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    private ModelTrainer engine() {
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

    /** Compute spent on the job: what earlier attempts had used at their last checkpoint, plus this run. */
    private static final class ComputeClock {
        private final BigDecimal before;
        private final long startedNanos = System.nanoTime();
        private volatile boolean overran;

        ComputeClock(BigDecimal before) {
            this.before = before;
        }

        BigDecimal total() {
            BigDecimal now = BigDecimal.valueOf(System.nanoTime() - startedNanos).movePointLeft(9);
            return before.add(now).setScale(3, RoundingMode.HALF_UP);
        }

        /** Whether the compute passed {@code limit} (remembered: the engine stops at the next batch). */
        boolean passes(BigDecimal limit) {
            if (!overran && total().compareTo(limit) > 0) {
                overran = true;
            }
            return overran;
        }

        boolean overran() {
            return overran;
        }
    }
}
