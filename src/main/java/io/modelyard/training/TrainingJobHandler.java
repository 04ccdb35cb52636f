package io.modelyard.training;

import io.modelyard.job.JobEventLevel;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code train} jobs on workers: loads the dataset version, trains with the engine in {@code ml/} (found
 * through ServiceLoader, so only worker processes ever load PyTorch), checkpoints to the blob store, resumes
 * from the last checkpoint after a lost worker, and on success registers the model and bills the compute once.
 */
@ApplicationScoped
public class TrainingJobHandler implements JobHandler {

    public static final String TYPE = "train";
    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingRuns runs;
    private final CheckpointStore checkpoints;
    private final BlobStore blobs;
    private final TenantContext context;

    TrainingJobHandler(TrainingRuns runs, CheckpointStore checkpoints, BlobStore blobs, TenantContext context) {
        this.runs = runs;
        this.checkpoints = checkpoints;
        this.blobs = blobs;
        this.context = context;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean pausable() {
        return true;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        Optional<ModelView> registered = runs.registeredBy(jobId);
        if (registered.isPresent()) {
            // An earlier run finished the work but its worker died before completing the job.
            return result(registered.get());
        }
        TrainingJobPayload payload = execution.payload(TrainingJobPayload.class);
        TrainingData data = runs.load(payload.datasetVersionId(), payload.task());
        execution.events().info("Loaded " + data.train().size() + " training, " + data.validation().size()
                + " validation and " + data.test().size() + " test rows.");

        Optional<CheckpointStore.Stored> resumeFrom = execution.resumed() ? checkpoints.latest(jobId) : Optional.empty();
        ComputeClock compute = new ComputeClock(resumeFrom.map(CheckpointStore.Stored::computeSeconds)
                .orElse(BigDecimal.ZERO));
        ModelTrainer engine = runs.trainer();
        String device = engine.device();
        TrainingOutcome outcome;
        try {
            outcome = engine.train(payload.spec(), data, sink(execution, resumeFrom, compute, device),
                    listener(execution), stopSignal(execution));
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            StopReason reason = execution.stopRequested();
            if (reason == StopReason.CANCEL) {
                checkpoints.deleteAll(jobId);
            }
            throw new JobStoppedException(reason == StopReason.NONE ? StopReason.CANCEL : reason);
        } catch (InvalidTrainingSpecException e) {
            throw new JobFailedException("invalid_hyperparameters", e.getMessage());
        } catch (TrainingDataException e) {
            throw new JobFailedException("invalid_training_data", e.getMessage());
        } catch (TrainingDivergedException e) {
            throw new JobFailedException("training_diverged", e.getMessage());
        }

        String artifactKey = CheckpointStore.prefix(context.requireTenant(), jobId) + "model.zip";
        BlobInfo artifact = blobs.put(artifactKey, new ByteArrayInputStream(outcome.artifact()), MAX_ARTIFACT_BYTES);
        BigDecimal seconds = compute.total();
        // One record per job, whatever the number of attempts: it replaces the hold taken on the estimate.
        ModelView model = runs.registerAndBill(jobId, new NewModel(payload.modelName(), payload.task().wireName(),
                payload.architecture().wireName(), payload.datasetVersionId(), jobId, payload.hyperparameters(),
                outcome.evaluation(), trainingSummary(outcome, seconds), TrainingRuns.dataSummary(data), data.labelClasses(),
                artifact, Map.of(), payload.createdBy()), seconds, outcome.device(),
                Map.of("architecture", payload.architecture().wireName()));
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

    private static StopSignal stopSignal(JobExecution execution) {
        return new StopSignal() {
            @Override
            public boolean cancelRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.CANCEL || reason == StopReason.LEASE_LOST;
            }

            @Override
            public boolean checkpointAndStopRequested() {
                StopReason reason = execution.stopRequested();
                return reason == StopReason.SHUTDOWN || reason == StopReason.PAUSE;
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
}
