package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
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

    private final JobService jobs;
    private final TrainingRuns runs;
    private final SourceModels sources;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final ObjectMapper json;

    DistillationJobService(JobService jobs, TrainingRuns runs, SourceModels sources, TenantContext context,
            OptimizationConfig config, ObjectMapper json) {
        this.jobs = jobs;
        this.runs = runs;
        this.sources = sources;
        this.context = context;
        this.config = config;
        this.json = json;
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
                : task.isText() ? Architecture.BAG_OF_EMBEDDINGS : Architecture.MLP;
        SizePreset size = student.size() == null ? SizePreset.SMALL : student.size();
        HyperparameterOverrides overrides = student.hyperparameters();
        if (!task.isText() && student.architecture() == null && overrides == null) {
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
            Map<String, Object> estimate = new LinkedHashMap<>();
            estimate.put("object", "distillation_estimate");
            estimate.put("teacher_model_id", payload.teacherModelId());
            estimate.put("dataset_version_id", payload.datasetVersionId());
            estimate.put("student_architecture", architecture);
            estimate.put("student_hyperparameters", spec.hyperparameters());
            estimate.put("estimated_compute_seconds", seconds);
            estimate.put("meter", runs.computeMeter().wireName());
            estimate.put("price", runs.price(seconds));
            return new Created(null, estimate, false);
        }
        var job = jobs.enqueue(DistillationJobHandler.TYPE, payload, request.metadata(), config.maxAttempts(),
                idempotencyKey);
        runs.hold(job.body().id(), seconds);
        return new Created(DistillationJobView.of(job.body(), payload(job.body())), null, job.replayed());
    }

    private static HyperparameterOverrides withSeed(HyperparameterOverrides o, long seed) {
        return TrainingJobService.withSeedOf(o == null ? HyperparameterOverrides.none() : o, seed);
    }

    @Transactional
    public DistillationJobView get(String id) {
        JobView job = require(id);
        return DistillationJobView.of(job, payload(job));
    }

    @Transactional
    public Page<DistillationJobView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        Page<JobView> jobPage = jobs.list(page, DistillationJobHandler.TYPE, state, metadata);
        return new Page<>("list", jobPage.data().stream().map(j -> DistillationJobView.of(j, payload(j))).toList(),
                jobPage.hasMore(), jobPage.nextCursor());
    }

    @Transactional
    public DistillationJobView cancel(String id) {
        require(id);
        JobView job = jobs.cancel(id);
        if (job.state() == JobState.CANCELLED || job.state() == JobState.CANCELLING) {
            runs.release(id);
        }
        return DistillationJobView.of(job, payload(job));
    }

    /** Checks that {@code id} is one of the tenant's distillation jobs (404 otherwise). */
    @Transactional
    public void requireDistillationJob(String id) {
        require(id);
    }

    private JobView require(String id) {
        JobView job = jobs.get(id);
        if (!DistillationJobHandler.TYPE.equals(job.type())) {
            throw ProblemException.notFound("distillation job", id);
        }
        return job;
    }

    private DistillationJobPayload payload(JobView job) {
        return json.convertValue(job.payload(), DistillationJobPayload.class);
    }
}
