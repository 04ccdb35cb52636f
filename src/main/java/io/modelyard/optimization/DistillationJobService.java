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
import io.modelyard.training.TrainingJobService;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distillation jobs: a smaller student network trained on a registered classifier's softened probabilities
 * mixed with the true labels, registered with a comparison of teacher and student. Queued as {@code distill}
 * jobs.
 */
@ApplicationScoped
public class DistillationJobService {

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final JobsOfType<DistillationJobPayload, DistillationJobView> ofType;

    DistillationJobService(JobService jobs, TrainingRuns runs, SourceModels sources, TenantContext context,
            OptimizationConfig config, ObjectMapper json) {
        this.runs = runs;
        this.sources = sources;
        this.context = context;
        this.config = config;
        this.ofType = new JobsOfType<>(jobs, runs, json, DistillationJobHandler.TYPE, "distillation job",
                DistillationJobPayload.class, DistillationJobView::of);
    }

    /** A queued job, or for a dry run only the estimate. */
    public record Created(DistillationJobView job, Map<String, Object> estimate, boolean replayed) {
    }

    @Transactional
    public Created create(DistillationRequests.CreateDistillationJob request, String idempotencyKey) {
        context.require(Permission.JOBS_WRITE);
        List<FieldError> errors = new ArrayList<>();
        double temperature = request.temperature() == null ? 2.0 : request.temperature();
        double alpha = request.alpha() == null ? 0.5 : request.alpha();
        if (!(temperature > 0 && temperature <= 100)) {
            errors.add(new FieldError("temperature", "must be above 0 and at most 100"));
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            errors.add(new FieldError("alpha", "must be between 0 and 1"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        SourceModel teacher = sources.describe(request.teacherModelId());
        TaskType task = SourceChecks.classifier(teacher, "teacher_model_id");
        TrainingRuns.DatasetShape dataset = SourceChecks.dataset(runs, teacher, request.datasetVersionId());
        DistillationRequests.Student student = request.student() == null
                ? new DistillationRequests.Student(null, null, null) : request.student();
        Architecture architecture = student.architecture() != null ? student.architecture()
                : TrainingRuns.defaultArchitecture(task);
        SizePreset size = student.size() == null ? SizePreset.SMALL : student.size();
        HyperparameterOverrides overrides = student.hyperparameters();
        if (!task.isText() && !task.isImage() && student.architecture() == null && overrides == null) {
            // a one-layer network: a student smaller than any preset MLP
            overrides = new HyperparameterOverrides(null, null, null, null, null, null, null, null, null, null, null,
                    null, 32, 1, null, null, null);
        }
        if (request.seed() != null) {
            overrides = withSeed(overrides, request.seed());
        }
        if (!architecture.supports(task)) {
            throw ProblemException.invalidField("student.architecture", architecture.wireName() + " does not train "
                    + task.wireName() + " models");
        }
        TrainingSpec spec = TrainingSpec.resolve(task, architecture, size, overrides);
        List<FieldError> specErrors = spec.validate(dataset.labels().size()).stream()
                .map(e -> new FieldError("student." + e.field(), e.message())).toList();
        if (!specErrors.isEmpty()) {
            throw ProblemException.invalid(specErrors.get(0).field() + ": " + specErrors.get(0).message(), specErrors);
        }
        long seconds = 10 + runs.estimateSeconds(spec, dataset.trainRows());
        String name = SourceChecks.name(request.modelName(), request.suffix(), teacher.model().name(), "student");
        DistillationJobPayload payload = new DistillationJobPayload(teacher.model().id(), dataset.versionId(), task,
                architecture, size, spec.hyperparameters(), temperature, alpha, name, context.actor().reference());
        if (Boolean.TRUE.equals(request.dryRun())) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("object", "distillation_estimate");
            described.put("teacher_model_id", payload.teacherModelId());
            described.put("dataset_version_id", payload.datasetVersionId());
            described.put("student_architecture", architecture);
            described.put("student_hyperparameters", spec.hyperparameters());
            return new Created(null, ofType.estimate(described, seconds), false);
        }
        var job = ofType.enqueue(payload, request.metadata(), config.maxAttempts(), idempotencyKey, seconds);
        return new Created(job.body(), null, job.replayed());
    }

    private static HyperparameterOverrides withSeed(HyperparameterOverrides o, long seed) {
        return TrainingJobService.withSeedOf(o == null ? HyperparameterOverrides.none() : o, seed);
    }

    @Transactional
    public DistillationJobView get(String id) {
        return ofType.get(id);
    }

    @Transactional
    public Page<DistillationJobView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        return ofType.list(page, state, metadata);
    }

    @Transactional
    public DistillationJobView cancel(String id) {
        return ofType.cancel(id);
    }

    /** Checks that {@code id} is one of the tenant's distillation jobs (404 otherwise). */
    @Transactional
    public void requireDistillationJob(String id) {
        ofType.require(id);
    }
}
