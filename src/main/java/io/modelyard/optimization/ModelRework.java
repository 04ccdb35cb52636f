package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.job.JobFailedException;
import io.modelyard.model.ModelView;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.JobTraining;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The steps that compression and distillation jobs share when they turn a registered model into a new one: pick up
 * what an earlier run already registered, measure a model the same way before and after, train with the job's
 * checkpoints and stop signal, and store the new model's artifact.
 */
@ApplicationScoped
class ModelRework {

    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingRuns runs;
    private final Engines engines;
    private final BlobStore blobs;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final ObjectMapper json;

    ModelRework(TrainingRuns runs, Engines engines, BlobStore blobs, TenantContext context, OptimizationConfig config,
            ObjectMapper json) {
        this.runs = runs;
        this.engines = engines;
        this.blobs = blobs;
        this.context = context;
        this.config = config;
        this.json = json;
    }

    /**
     * The result of an earlier run that registered the model but whose worker died before recording the job's
     * success: the report it kept under {@code reportKey} in the model's training summary, and the model.
     */
    Optional<Map<String, Object>> earlierResult(String jobId, String reportKey) {
        return runs.registeredBy(jobId).map(model -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> report = json.convertValue(model.training().path(reportKey), Map.class);
            return withModel(new LinkedHashMap<>(report), model);
        });
    }

    /** Test macro F1 and accuracy, size and latency, measured alike for every model a job compares. */
    Measurement measure(byte[] artifact, TrainingData data) {
        return Measurement.of(artifact, data, engines.compressor(), engines.runtime(), config.latencySamples());
    }

    /** Trains as the job's training run (checkpoints, progress, stop signal); failures become the job's errors. */
    TrainingOutcome train(TrainingSpec spec, TrainingData data, Initialization init, JobTraining run) {
        try {
            return runs.trainer().train(spec, data, init, run.sink(), run.listener(), run.stopSignal());
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            throw run.stopped();
        } catch (InvalidTrainingSpecException e) {
            throw new JobFailedException("invalid_hyperparameters", e.getMessage());
        } catch (TrainingDataException e) {
            throw new JobFailedException("invalid_training_data", e.getMessage());
        } catch (TrainingDivergedException e) {
            throw new JobFailedException("training_diverged", e.getMessage());
        }
    }

    /** Stores the new model's artifact where the job's models go, for registration. */
    BlobInfo storeModel(String jobId, byte[] artifact) {
        return blobs.put("tenants/" + context.requireTenant() + "/jobs/" + jobId + "/model.zip",
                new ByteArrayInputStream(artifact), MAX_ARTIFACT_BYTES);
    }

    /** Adds the registered model to a job's result. */
    static Map<String, Object> withModel(Map<String, Object> result, ModelView model) {
        result.put("model_id", model.id());
        result.put("model_name", model.name());
        result.put("model_version", model.version());
        return result;
    }

    /** Ratios and drops in reports, to four decimals. */
    static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
