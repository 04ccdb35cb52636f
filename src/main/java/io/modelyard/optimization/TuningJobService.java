package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.common.TypedId;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.model.spec.Architecture;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tuning jobs: validated and resolved at creation (search space, budget, seed), their compute held against the
 * quota like a training job's, queued as {@code tune} jobs, run by {@link TuningJobHandler}. State, events and
 * cancellation are the job queue's.
 */
@ApplicationScoped
public class TuningJobService {

    static final int MAX_TRIALS = 200;

    private final JobService jobs;
    private final TrainingRuns runs;
    private final TuningTrialRepository trials;
    private final TuningTrials store;
    private final TenantContext context;
    private final TuningConfig config;
    private final ObjectMapper json;
    private final ModelRegistry registry;
    private final BlobStore blobs;

    TuningJobService(JobService jobs, TrainingRuns runs, TuningTrialRepository trials, TuningTrials store,
            TenantContext context, TuningConfig config, ObjectMapper json, ModelRegistry registry, BlobStore blobs) {
        this.registry = registry;
        this.blobs = blobs;
        this.jobs = jobs;
        this.runs = runs;
        this.trials = trials;
        this.store = store;
        this.context = context;
        this.config = config;
        this.json = json;
    }

    /** A queued job, or for a dry run only the estimate. */
    public record Created(TuningJobView job, TuningEstimate estimate, boolean replayed) {
    }

    @Transactional
    public Created create(TuningRequests.CreateTuningJob request, String idempotencyKey) {
        context.require(Permission.JOBS_WRITE);
        TrainingRuns.DatasetShape dataset = runs.describe(request.datasetVersionId());
        var task = dataset.task();
        List<FieldError> errors = new ArrayList<>();
        Objective objective = request.objective() == null ? Objective.defaultFor(task) : request.objective();
        if (!objective.fits(task)) {
            errors.add(new FieldError("objective", objective.wireName() + " does not measure " + task.wireName()
                    + (task.isClassification() ? "; use macro_f1 or accuracy" : "; use r2 or mse")));
        }
        String strategy = request.strategy() == null ? "adaptive" : request.strategy();
        if (!strategy.equals("adaptive") && !strategy.equals("random")) {
            errors.add(new FieldError("strategy", "must be adaptive or random"));
        }
        SearchSpace requested = request.searchSpace() == null ? new SearchSpace(null, null, null, null)
                : request.searchSpace();
        SearchSpace space = requested.completedFor(task);
        errors.addAll(space.validate(task));
        TuningRequests.Budget budget = request.budget() == null ? new TuningRequests.Budget(null, null)
                : request.budget();
        int maxTrials = budget.maxTrials() == null ? config.defaultMaxTrials() : budget.maxTrials();
        if (maxTrials < 2 || maxTrials > MAX_TRIALS) {
            errors.add(new FieldError("budget.max_trials", "must be between 2 and " + MAX_TRIALS
                    + " (the linear baseline and the default preset are two of them)"));
        }
        if (budget.maxComputeSeconds() != null && (budget.maxComputeSeconds() < 1
                || budget.maxComputeSeconds() > 10_000_000)) {
            errors.add(new FieldError("budget.max_compute_seconds", "must be between 1 and 10000000"));
        }
        int eta = request.reductionFactor() == null ? 3 : request.reductionFactor();
        if (eta < 2 || eta > 5) {
            errors.add(new FieldError("reduction_factor", "must be between 2 and 5"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        long seed = request.seed() == null ? 42 : request.seed();
        String modelName = request.modelName() != null ? request.modelName()
                : TrainingRuns.slug(dataset.datasetName()) + (request.suffix() == null ? "" : "-" + request.suffix());
        TuningJobPayload payload = new TuningJobPayload(request.datasetVersionId(), task, objective, strategy, space,
                maxTrials, budget.maxComputeSeconds(), eta, seed, modelName, 0, context.actor().reference());
        long seconds = estimate(payload, dataset.trainRows());
        payload = new TuningJobPayload(payload.datasetVersionId(), task, objective, strategy, space, maxTrials,
                budget.maxComputeSeconds(), eta, seed, modelName, seconds, payload.createdBy());
        if (Boolean.TRUE.equals(request.dryRun())) {
            int[] rungs = strategy.equals("random") ? new int[] {space.maxEpochs()}
                    : TuningPlan.rungs(space.minEpochs(), space.maxEpochs(), eta);
            return new Created(null, new TuningEstimate("tuning_estimate", request.datasetVersionId(), task, objective,
                    strategy, space, new TuningRequests.Budget(maxTrials, budget.maxComputeSeconds()), rungs,
                    dataset.trainRows(), seconds, runs.computeMeter().wireName(), runs.price(seconds)), false);
        }
        var job = jobs.enqueue(TuningJobHandler.TYPE, payload, request.metadata(), config.maxAttempts(),
                idempotencyKey);
        if (!job.replayed()) {
            runs.hold(job.body().id(), seconds);
        }
        return new Created(view(job.body()), null, job.replayed());
    }

    @Transactional
    public TuningJobView get(String id) {
        return view(require(id));
    }

    @Transactional
    public Page<TuningJobView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        Page<JobView> jobPage = jobs.list(page, TuningJobHandler.TYPE, state, metadata);
        return new Page<>("list", jobPage.data().stream().map(this::view).toList(), jobPage.hasMore(),
                jobPage.nextCursor());
    }

    /** Cancels the job (see {@link JobService#cancel}); its compute hold is given back at once. */
    @Transactional
    public TuningJobView cancel(String id) {
        require(id);
        JobView job = jobs.cancel(id);
        if (job.state() == JobState.CANCELLED || job.state() == JobState.CANCELLING) {
            runs.release(id);
        }
        return view(job);
    }

    /** Pauses the job (see {@link JobService#pause}): it checkpoints and frees its worker until resumed. */
    @Transactional
    public TuningJobView pause(String id) {
        require(id);
        JobView job = jobs.pause(id);
        return view(job);
    }

    /** Resumes a paused job (see {@link JobService#resume}): it continues from its checkpoint. */
    @Transactional
    public TuningJobView resume(String id) {
        require(id);
        JobView job = jobs.resume(id);
        return view(job);
    }

    /** The job's trials, newest first. */
    @Transactional
    public Page<TrialView> trials(String id, PageRequest page) {
        JobView job = require(id);
        String objective = payload(job).objective().wireName();
        return Page.of(trials.page(id, page), page, t -> t.id, t -> TrialView.of(t, objective, store));
    }

    /**
     * Registers the model of one of a succeeded job's finished trials — one on the Pareto front, chosen for being
     * smaller or faster than the best — as a new version of the job's model name, with its own test evaluation.
     * A trial becomes one model: asked again (a retry, or the best trial, which the job registered), it answers
     * the model it became.
     *
     * @throws ProblemException 404 for an unknown trial, 409 while the job runs or when the trial kept no model
     */
    public ModelRegistry.Registration registerTrial(String jobId, String trialId) {
        context.require(Permission.JOBS_WRITE);
        record Chosen(TuningJobPayload payload, TuningTrial trial, ModelView best, Map<String, Object> data,
                ModelView registered) {
        }
        Chosen chosen = QuarkusTransaction.requiringNew().call(() -> {
            JobView job = require(jobId);
            TuningTrial trial = trials.findTrial(jobId, trialId)
                    .orElseThrow(() -> ProblemException.notFound("tuning trial", trialId));
            if (job.state() != JobState.SUCCEEDED || job.result() == null) {
                throw ProblemException.conflict("job-not-finished", "Trials are registered once the tuning job has"
                        + " succeeded.");
            }
            if (trial.artifactKey == null) {
                throw ProblemException.conflict("trial-has-no-model", "Trial " + trial.number + " kept no model:"
                        + " only finished trials on the Pareto front, and the best, do.");
            }
            ModelView registered = registry.findByTuningTrial(jobId, trialId).orElse(null);
            if (registered != null) {
                return new Chosen(null, trial, null, null, registered);
            }
            ModelView best = registry.get(String.valueOf(job.result().get("model_id")));
            @SuppressWarnings("unchecked")
            Map<String, Object> data = json.convertValue(registry.card(best.id()).data(), Map.class);
            return new Chosen(payload(job), trial, best, data, null);
        });
        if (chosen.registered() != null) {
            return new ModelRegistry.Registration(chosen.registered(), false);
        }
        TuningTrial t = chosen.trial();
        BlobInfo artifact = blobs.put(store.jobPrefix(jobId) + "trials/" + t.number + "/"
                + TypedId.generate("art") + ".zip", new ByteArrayInputStream(store.artifact(t)), Long.MAX_VALUE);
        Map<String, Object> tuning = new LinkedHashMap<>();
        tuning.put("job_id", jobId);
        tuning.put("trial_id", t.id);
        tuning.put("trial_number", t.number);
        tuning.put("objective", chosen.payload().objective().wireName());
        tuning.put("objective_value", t.objectiveValue);
        tuning.put("pareto", t.pareto);
        tuning.put("trials_url", "/v1/tuning-jobs/" + jobId + "/trials");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs_run", t.epochsRun);
        summary.put("best_epoch", t.bestEpoch);
        summary.put("latency_ms", t.latencyMs);
        summary.put("tuning", tuning);
        summary.put("history", store.tree(t.history));
        ModelRegistry.Registration registration = QuarkusTransaction.requiringNew().call(() -> registry.registerTrial(
                new NewModel(chosen.payload().modelName(), chosen.payload().task(), t.architecture,
                        chosen.payload().datasetVersionId(), jobId, store.tree(t.hyperparameters),
                        store.tree(t.testEvaluation), summary, chosen.data(), chosen.best().labels(), artifact,
                        Map.of(), context.actor().reference()), t.id));
        if (!registration.created()) {
            // Registered before: the copy of the artifact made for this call is nobody's.
            blobs.delete(artifact.key());
        }
        return registration;
    }

    /** Checks that {@code id} is one of the tenant's tuning jobs (404 otherwise). */
    @Transactional
    public void requireTuningJob(String id) {
        require(id);
    }

    private JobView require(String id) {
        JobView job = jobs.get(id);
        if (!TuningJobHandler.TYPE.equals(job.type())) {
            throw ProblemException.notFound("tuning job", id);
        }
        return job;
    }

    private TuningJobView view(JobView job) {
        Map<String, Long> counts = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = trials.getEntityManager().createQuery("select t.state, count(t) from TuningTrial t"
                + " where t.jobId = :job group by t.state").setParameter("job", job.id()).getResultList();
        for (Object[] row : rows) {
            counts.put(((TuningTrial.State) row[0]).name().toLowerCase(Locale.ROOT), (Long) row[1]);
        }
        return TuningJobView.of(job, payload(job), counts);
    }

    private TuningJobPayload payload(JobView job) {
        return json.convertValue(job.payload(), TuningJobPayload.class);
    }

    /**
     * Compute the search is expected to use, on the high side: the two reference trials in full, and each
     * sampled trial at the costliest corner of the space for the epochs successive halving gives it on average.
     */
    private long estimate(TuningJobPayload p, long trainRows) {
        long seconds = runs.estimateSeconds(TrainingRuns.presetSpec(p.task(), Architecture.LINEAR, p.seed()), trainRows)
                + runs.estimateSeconds(TrainingRuns.presetSpec(p.task(), TrainingRuns.defaultArchitecture(p.task()),
                        p.seed()), trainRows);
        SearchSpace space = p.searchSpace();
        long perTrial = 0;
        for (Architecture architecture : space.architectures()) {
            Map<String, Object> costliest = new LinkedHashMap<>();
            costliest.put("architecture", architecture.wireName());
            space.dimensions().forEach((name, dim) -> costliest.put(name, SearchSpace.number(name, dim.isRange()
                    ? dim.max() : dim.values().stream().mapToDouble(Double::doubleValue).max().orElse(0))));
            TrainingSpec spec = TrainingSpec.resolve(p.task(), architecture, SizePreset.SMALL,
                    space.overrides(costliest, p.seed(), p.task()));
            perTrial = Math.max(perTrial, runs.estimateSeconds(spec, trainRows));
        }
        double share = 1.0;
        if (p.plannedStrategy() == TuningPlan.Strategy.ADAPTIVE) {
            int[] rungs = TuningPlan.rungs(space.minEpochs(), space.maxEpochs(), p.reductionFactor());
            share = 0;
            int before = 0;
            for (int k = 0; k < rungs.length; k++) {
                share += (rungs[k] - before) * Math.pow(p.reductionFactor(), -k);
                before = rungs[k];
            }
            // at least one sampled trial is always trained in full
            share = Math.max(share / space.maxEpochs(), 1.0 / Math.max(1, p.maxTrials() - 2));
        }
        seconds += (long) Math.ceil(Math.max(0, p.maxTrials() - 2) * perTrial * share);
        return p.maxComputeSeconds() == null ? seconds : Math.min(seconds, p.maxComputeSeconds());
    }
}
