package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.model.SourceModel;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compression jobs: a registered classifier pruned (with fine-tuning) and/or quantized, registered as a new model
 * only when its test macro F1 stays within the tolerance of the source's. Queued as {@code compress} jobs.
 */
@ApplicationScoped
public class CompressionJobService {

    static final int DEFAULT_FINE_TUNE_EPOCHS = 2;

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final ObjectMapper json;
    private final JobsOfType<CompressionJobPayload, CompressionJobView> ofType;

    CompressionJobService(JobService jobs, TrainingRuns runs, SourceModels sources, TenantContext context,
            OptimizationConfig config, ObjectMapper json) {
        this.runs = runs;
        this.sources = sources;
        this.context = context;
        this.config = config;
        this.json = json;
        this.ofType = new JobsOfType<>(jobs, runs, json, CompressionJobHandler.TYPE, "compression job",
                CompressionJobPayload.class, CompressionJobView::of);
    }

    /** A queued job, or for a dry run only the estimate. */
    public record Created(CompressionJobView job, Map<String, Object> estimate, boolean replayed) {
    }

    @Transactional
    public Created create(CompressionRequests.CreateCompressionJob request, String idempotencyKey) {
        context.require(Permission.JOBS_WRITE);
        List<FieldError> errors = new ArrayList<>();
        CompressionRequests.Pruning pruning = request.pruning();
        if (pruning == null && request.quantization() == null) {
            errors.add(new FieldError("pruning", "give pruning, quantization or both"));
        }
        Double sparsity = pruning == null ? null : pruning.sparsity() == null ? 0.5 : pruning.sparsity();
        int epochs = pruning == null || pruning.fineTuneEpochs() == null ? DEFAULT_FINE_TUNE_EPOCHS
                : pruning.fineTuneEpochs();
        if (sparsity != null && !(sparsity > 0 && sparsity < 1)) {
            errors.add(new FieldError("pruning.sparsity", "must be above 0 and below 1"));
        }
        if (pruning != null && (epochs < 1 || epochs > 100)) {
            errors.add(new FieldError("pruning.fine_tune_epochs", "must be between 1 and 100"));
        }
        if (pruning != null && pruning.learningRate() != null
                && !(pruning.learningRate() > 0 && pruning.learningRate() <= 10)) {
            errors.add(new FieldError("pruning.learning_rate", "must be > 0 and <= 10"));
        }
        double tolerance = request.tolerance() == null ? 0.01 : request.tolerance();
        if (!(tolerance >= 0 && tolerance <= 1)) {
            errors.add(new FieldError("tolerance", "is a drop of macro F1 between 0 and 1 (0.01: one point)"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        SourceModel source = sources.describe(request.modelId());
        TaskType task = SourceChecks.classifier(source, "model_id");
        TrainingRuns.DatasetShape dataset = SourceChecks.dataset(runs, source, request.datasetVersionId());
        Architecture architecture = source.model().architecture();
        Hyperparameters fineTune = null;
        long seconds = 10;
        if (pruning != null) {
            Hyperparameters own = json.convertValue(source.model().hyperparameters(), Hyperparameters.class);
            double rate = pruning.learningRate() != null ? pruning.learningRate() : own.learningRate() / 2;
            fineTune = own.with(new HyperparameterOverrides(epochs, null, rate, null, null, null, null, null, 0,
                    null, null, null, null, null, null, null, 0));
            seconds += runs.estimateSeconds(new TrainingSpec(task, architecture, SizePreset.SMALL, fineTune),
                    dataset.trainRows());
        }
        String name = SourceChecks.name(request.modelName(), request.suffix(), source.model().name(), "compressed");
        CompressionJobPayload payload = new CompressionJobPayload(source.model().id(), dataset.versionId(), task,
                architecture, sparsity, fineTune, request.quantization(), tolerance, name,
                context.actor().reference());
        if (Boolean.TRUE.equals(request.dryRun())) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("object", "compression_estimate");
            described.put("source_model_id", payload.sourceModelId());
            described.put("dataset_version_id", payload.datasetVersionId());
            return new Created(null, ofType.estimate(described, seconds), false);
        }
        var job = ofType.enqueue(payload, request.metadata(), config.maxAttempts(), idempotencyKey, seconds);
        return new Created(job.body(), null, job.replayed());
    }

    @Transactional
    public CompressionJobView get(String id) {
        return ofType.get(id);
    }

    @Transactional
    public Page<CompressionJobView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        return ofType.list(page, state, metadata);
    }

    @Transactional
    public CompressionJobView cancel(String id) {
        return ofType.cancel(id);
    }

    /** Checks that {@code id} is one of the tenant's compression jobs (404 otherwise). */
    @Transactional
    public void requireCompressionJob(String id) {
        ofType.require(id);
    }
}
