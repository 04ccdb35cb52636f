package io.modelyard.training;

import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.StopReason;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.encoders.ImportedEncoderService;
import io.modelyard.training.vectors.WordVectorsService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code train} jobs on workers: loads the dataset version, trains with the engine in {@code ml/} (found
 * through ServiceLoader, so only worker processes ever load PyTorch), checkpoints to the blob store, resumes
 * from the last checkpoint after a lost worker, and on success registers the model. The job's compute is held on
 * the meter of the device the engine trains on, the run is stopped past its hold (plus a margin), and the
 * compute it used is charged once, on that meter, whether it succeeded, failed or was cancelled
 * ({@link TrainingCost}).
 */
@ApplicationScoped
public class TrainingJobHandler implements JobHandler {

    public static final String TYPE = "train";
    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingRuns runs;
    private final BlobStore blobs;
    private final TenantContext context;
    private final WordVectorsService wordVectors;
    private final ImportedEncoderService encoders;

    private final TrainingMetrics metrics;

    TrainingJobHandler(TrainingRuns runs, BlobStore blobs, TenantContext context, WordVectorsService wordVectors,
            ImportedEncoderService encoders, TrainingMetrics metrics) {
        this.encoders = encoders;
        this.wordVectors = wordVectors;
        this.runs = runs;
        this.metrics = metrics;
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

        JobTraining run = runs.jobTraining(execution);
        String device = runs.trainer().device();
        BigDecimal held = runs.holdOnDevice(jobId, runs.estimateSeconds(payload.spec(), data.train().size()));
        BigDecimal limit = held.multiply(BigDecimal.valueOf(1 + runs.holdMargin()));
        Map<String, String> attributes = Map.of("architecture", payload.architecture().wireName(), "device", device);
        TrainingOutcome outcome;
        Path vectors = null;
        try {
            Initialization init = Initialization.NONE;
            TrainingJobPayload.Transfer transfer = payload.transfer();
            if (transfer != null) {
                init = transfer.initFromModel() == null ? init.withFreeze(transfer.freeze())
                        : Initialization.fromModel(runs.modelArtifact(transfer.initFromModel()), transfer.freeze());
                if (transfer.encoderId() != null) {
                    init = init.withEncoder(encoders.download(transfer.encoderId()));
                }
                if (transfer.wordVectorsId() != null) {
                    vectors = Files.createTempFile("modelyard-word-vectors-", ".txt");
                    wordVectors.download(transfer.wordVectorsId(), vectors);
                    init = init.withWordVectors(vectors);
                }
            }
            outcome = runs.trainer().train(payload.spec(), data, init, run.sink(), run.listener(),
                    run.stopSignal(limit));
        } catch (IOException e) {
            throw JobFailedException.retryable("worker_disk", "The worker could not write a temporary file.", e);
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            StopReason reason = run.stopReason();
            BigDecimal used = run.clock().total();
            if (reason == StopReason.NONE && run.clock().overran()) {
                run.deleteCheckpoints();
                throw runs.failed("compute_limit_exceeded", "This job used " + TrainingCost.seconds(used)
                        .toPlainString() + " s of compute, more than the " + held.stripTrailingZeros().toPlainString()
                        + " s of " + TrainingCost.meterOf(device).wireName() + " held for it (its estimate) plus the "
                        + Math.round(runs.holdMargin() * 100) + "% margin, and was stopped. Train fewer epochs or"
                        + " rows, a smaller architecture or a shorter max_sequence_length; dry_run shows the estimate.",
                        jobId, used, attributes);
            }
            if (reason == StopReason.CANCEL || reason == StopReason.NONE) {
                run.deleteCheckpoints();
                throw runs.cancelled(jobId, used, attributes);
            }
            throw run.stopped();
        } catch (InvalidTrainingSpecException e) {
            throw runs.failed("invalid_hyperparameters", e.getMessage(), jobId, run.clock().total(), attributes);
        } catch (TrainingDataException e) {
            throw runs.failed("invalid_training_data", e.getMessage(), jobId, run.clock().total(), attributes);
        } catch (TrainingDivergedException e) {
            throw runs.failed("training_diverged", e.getMessage(), jobId, run.clock().total(), attributes);
        } finally {
            deleteQuietly(vectors);
        }

        String artifactKey = CheckpointStore.prefix(context.requireTenant(), jobId) + "model.zip";
        BlobInfo artifact = blobs.put(artifactKey, new ByteArrayInputStream(outcome.artifact()), MAX_ARTIFACT_BYTES);
        BigDecimal seconds = run.clock().total();
        metrics.trained(payload.architecture().wireName(), outcome.device(), outcome.samplesProcessed(), seconds);
        // One record per job, whatever the number of attempts: it replaces the hold taken on the estimate.
        ModelView model = runs.registerAndBill(jobId, new NewModel(payload.modelName(), payload.task(),
                payload.architecture(), payload.datasetVersionId(), jobId, payload.hyperparameters(),
                outcome.evaluation(), trainingSummary(outcome, seconds), TrainingRuns.dataSummary(data),
                data.labelClasses(), artifact, Map.of(), payload.createdBy()), seconds, outcome.device(),
                Map.of("architecture", payload.architecture().wireName()));
        run.deleteCheckpoints();
        execution.events().info("Registered model " + model.id() + " (" + model.name() + " v" + model.version()
                + ").");
        return result(model);
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


    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file; the OS cleans its temp directory
            }
        }
    }
}
