package io.modelyard.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemException.FieldError;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.SourceModel;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.encoders.ImportedEncoderService;
import io.modelyard.training.encoders.ImportedEncoderView;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.SpecViolation;
import io.modelyard.training.engine.TrainingSpec;
import io.modelyard.training.vectors.WordVectorsService;
import io.modelyard.training.vectors.WordVectorsView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training jobs: validated and resolved at creation, queued as {@code train} jobs, run by
 * {@link TrainingJobHandler} on workers. Everything else about their life (state, events, cancel) is the job
 * queue's.
 */
@ApplicationScoped
public class TrainingJobService {

    private final JobService jobs;
    private final TrainingDatasets datasets;
    private final CheckpointStore checkpoints;
    private final TrainingCost cost;
    private final TenantContext context;
    private final TrainingConfig config;
    private final ObjectMapper json;
    private final ModelRegistry models;
    private final WordVectorsService wordVectors;
    private final ImportedEncoderService encoders;

    TrainingJobService(JobService jobs, TrainingDatasets datasets, CheckpointStore checkpoints, TrainingCost cost,
            TenantContext context, TrainingConfig config, ObjectMapper json, ModelRegistry models,
            WordVectorsService wordVectors, ImportedEncoderService encoders) {
        this.encoders = encoders;
        this.models = models;
        this.wordVectors = wordVectors;
        this.jobs = jobs;
        this.datasets = datasets;
        this.checkpoints = checkpoints;
        this.cost = cost;
        this.context = context;
        this.config = config;
        this.json = json;
    }

    /** The answer to a create: a queued job, or for a dry run only the estimate. */
    public record Created(TrainingJobView job, TrainingEstimate estimate, boolean replayed) {
    }

    @Transactional
    public Created create(TrainingJobRequests.CreateTrainingJob request, String idempotencyKey) {
        context.require(Permission.JOBS_WRITE);
        TrainingDatasets.Description dataset = datasets.describe(request.datasetVersionId());
        TaskType task = request.task() == null ? dataset.task() : request.task();
        if (task != dataset.task()) {
            throw ProblemException.invalidField("task", "the dataset version is for " + dataset.task().wireName()
                    + ", not " + task.wireName());
        }
        SourceModel source = request.initFromModel() == null ? null : models.source(request.initFromModel());
        if (source != null && source.model().task() != task) {
            throw ProblemException.invalidField("init_from_model", "the model is for "
                    + source.model().task().wireName() + ", the dataset version for " + task.wireName());
        }
        Architecture architecture = request.architecture() != null ? request.architecture()
                : source != null ? source.model().architecture()
                        : TrainingRuns.defaultArchitecture(task);
        if (source != null && architecture != source.model().architecture()) {
            throw ProblemException.invalidField("architecture", "fine-tuning keeps the model's architecture ("
                    + source.model().architecture().wireName() + ")");
        }
        SizePreset size = request.size() == null ? SizePreset.SMALL : request.size();
        HyperparameterOverrides overrides = withSeed(request.hyperparameters(), request.seed());
        TrainingSpec spec = source == null ? resolve(task, architecture, size, overrides)
                : new TrainingSpec(task, architecture, size, json.convertValue(source.model().hyperparameters(),
                        Hyperparameters.class).with(overrides));
        WordVectorsView vectors = null;
        if (request.wordVectorsId() != null) {
            vectors = wordVectors.get(request.wordVectorsId());
            if (!architecture.readsText(task) || architecture == Architecture.LINEAR) {
                throw ProblemException.invalidField("word_vectors_id", architecture.wireName()
                        + " has no word embedding to initialise");
            }
            Integer asked = request.hyperparameters() == null ? null : request.hyperparameters().embeddingSize();
            if (asked != null && asked != vectors.dimensions()) {
                throw ProblemException.invalidField("embedding_size", "must be the word vectors' width, "
                        + vectors.dimensions());
            }
            spec = new TrainingSpec(task, architecture, size, spec.hyperparameters().with(new HyperparameterOverrides(
                    null, null, null, null, null, null, null, null, null, null, null, vectors.dimensions(), null,
                    null, null, null, null)));
        }
        ImportedEncoderView encoder = request.encoderId() == null ? null : encoders.get(request.encoderId());
        if (architecture == Architecture.IMPORTED_ENCODER && encoder == null && source == null) {
            throw ProblemException.invalidField("encoder_id", "imported_encoder trains a head on an imported encoder:"
                    + " name one (POST /v1/encoders)");
        }
        if (encoder != null && architecture != Architecture.IMPORTED_ENCODER) {
            throw ProblemException.invalidField("architecture", "an imported encoder trains with the"
                    + " imported_encoder architecture");
        }
        Initialization.Freeze freeze = request.freeze() == null ? Initialization.Freeze.NONE : request.freeze();
        if (architecture == Architecture.IMPORTED_ENCODER) {
            if (freeze == Initialization.Freeze.EMBEDDING) {
                throw ProblemException.invalidField("freeze", "an imported encoder is frozen whole; only its head"
                        + " trains");
            }
            // the encoder is frozen by construction: nothing else to freeze
            freeze = Initialization.Freeze.NONE;
        }
        if (freeze != Initialization.Freeze.NONE && source == null && vectors == null) {
            throw ProblemException.invalidField("freeze", "there is nothing to freeze without init_from_model or"
                    + " word_vectors_id");
        }
        if (freeze == Initialization.Freeze.EMBEDDING
                && (!architecture.readsText(task) || architecture == Architecture.LINEAR)) {
            throw ProblemException.invalidField("freeze", architecture.wireName() + " has no word embedding");
        }
        List<FieldError> errors = new ArrayList<>(fieldErrors(spec.validate(dataset.labelCount())));
        if (spec.hyperparameters().classWeights() != null) {
            List<String> labels = datasets.forTraining(request.datasetVersionId()).labels();
            spec.hyperparameters().classWeights().weights().keySet().stream().filter(l -> !labels.contains(l))
                    .findFirst().ifPresent(l -> errors.add(new FieldError("class_weights",
                            "'" + l + "' is not a class of the dataset version " + labels)));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        TrainingJobPayload.Transfer transfer = source == null && vectors == null && encoder == null ? null
                : new TrainingJobPayload.Transfer(source == null ? null : source.model().id(), freeze,
                        vectors == null ? null : vectors.id(), encoder == null ? null : encoder.id());
        String modelName = request.modelName() != null ? request.modelName()
                : slug(dataset.datasetName()) + (request.suffix() == null ? "" : "-" + request.suffix());
        TrainingEstimate estimate = cost.estimate(request.datasetVersionId(), spec, modelName, dataset.trainRows());
        if (Boolean.TRUE.equals(request.dryRun())) {
            return new Created(null, estimate, false);
        }
        TrainingJobPayload payload = new TrainingJobPayload(request.datasetVersionId(), task, architecture, size,
                spec.hyperparameters(), modelName, context.actor().reference(), transfer);
        Idempotency.Outcome<JobView> job = jobs.enqueue(TrainingJobHandler.TYPE, payload, request.metadata(),
                config.maxAttempts(), idempotencyKey);
        if (!job.replayed()) {
            // A replay answers the job made before, whose hold was taken then (and may be settled by now).
            cost.reserve(estimate, job.body().id());
        }
        return new Created(view(job.body()), null, job.replayed());
    }

    @Transactional
    public TrainingJobView get(String id) {
        JobView job = jobs.get(id);
        requireTraining(job);
        return view(job);
    }

    @Transactional
    public Page<TrainingJobView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        Page<JobView> jobPage = jobs.list(page, TrainingJobHandler.TYPE, state, metadata);
        Map<String, TrainingJobView.Compute> compute = cost.compute(jobPage.data().stream().map(JobView::id)
                .toList());
        return new Page<>("list", jobPage.data().stream()
                .map(j -> TrainingJobView.of(j, payload(j), compute.get(j.id()))).toList(),
                jobPage.hasMore(), jobPage.nextCursor());
    }

    @Transactional
    public TrainingJobView cancel(String id) {
        requireTraining(jobs.get(id));
        JobView job = jobs.cancel(id);
        if (job.state() == JobState.CANCELLED || job.state() == JobState.CANCELLING) {
            // The hold goes at once; a running job is charged what it used when its worker has stopped it.
            cost.release(id);
        }
        return view(job);
    }

    /** Pauses the job (see {@link JobService#pause}): it checkpoints and frees its worker until resumed. */
    @Transactional
    public TrainingJobView pause(String id) {
        requireTraining(jobs.get(id));
        JobView job = jobs.pause(id);
        return TrainingJobView.of(job, payload(job));
    }

    /** Resumes a paused job (see {@link JobService#resume}): it continues from its checkpoint. */
    @Transactional
    public TrainingJobView resume(String id) {
        requireTraining(jobs.get(id));
        JobView job = jobs.resume(id);
        return TrainingJobView.of(job, payload(job));
    }

    @Transactional
    public List<CheckpointView> checkpoints(String id) {
        requireTraining(jobs.get(id));
        return checkpoints.list(id).stream().map(CheckpointView::of).toList();
    }

    /** Checks that {@code id} is one of the tenant's training jobs (404 otherwise). */
    @Transactional
    public void requireTrainingJob(String id) {
        requireTraining(jobs.get(id));
    }

    /** The engine's objections to a spec as the 400 response's {@code errors}, field by field. */
    private static List<FieldError> fieldErrors(List<SpecViolation> violations) {
        return violations.stream().map(v -> new FieldError(v.field(), v.message())).toList();
    }

    private static void requireTraining(JobView job) {
        if (!TrainingJobHandler.TYPE.equals(job.type())) {
            throw ProblemException.notFound("training job", job.id());
        }
    }

    private TrainingJobView view(JobView job) {
        return TrainingJobView.of(job, payload(job), cost.compute(List.of(job.id())).get(job.id()));
    }

    private TrainingJobPayload payload(JobView job) {
        return json.convertValue(job.payload(), TrainingJobPayload.class);
    }

    private static TrainingSpec resolve(TaskType task, Architecture architecture, SizePreset size,
            HyperparameterOverrides overrides) {
        if (!architecture.supports(task)) {
            throw ProblemException.invalidField("architecture",
                    architecture.wireName() + " does not train " + task.wireName() + " models");
        }
        return TrainingSpec.resolve(task, architecture, size, overrides);
    }

    private static HyperparameterOverrides withSeed(HyperparameterOverrides o, Long seed) {
        if (seed == null) {
            return o;
        }
        if (o == null) {
            return new HyperparameterOverrides(null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, seed, null);
        }
        return withSeedOf(o, seed);
    }

    /** {@code o} with {@code seed} in place of its own. */
    public static HyperparameterOverrides withSeedOf(HyperparameterOverrides o, long seed) {
        return new HyperparameterOverrides(o.epochs(), o.batchSize(), o.learningRate(), o.schedule(), o.optimizer(),
                o.momentum(), o.weightDecay(), o.dropout(), o.earlyStoppingPatience(), o.maxSequenceLength(),
                o.vocabularySize(), o.embeddingSize(), o.hiddenSize(), o.layers(), o.heads(), seed,
                o.checkpointEverySteps(), o.loss(), o.classWeights(), o.gradientClipNorm(), o.charNgrams(),
                o.wordBigrams(), o.ngramBuckets(), o.augmentation());
    }

    static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-._]+", "")
                .replaceAll("-+$", "");
        if (slug.isEmpty()) {
            slug = "model";
        }
        return slug.length() > 40 ? slug.substring(0, 40) : slug;
    }
}
