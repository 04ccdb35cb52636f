package io.modelyard.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.DatasetView;
import io.modelyard.job.JobEventView;
import io.modelyard.job.JobService;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.spec.Architecture;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.CheckpointView;
import io.modelyard.training.TrainingJobRequests;
import io.modelyard.training.TrainingJobService;
import io.modelyard.training.TrainingJobView;
import io.modelyard.training.engine.HyperparameterOverrides;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI fine-tuning jobs are the platform's training jobs: a create becomes a {@link TrainingJobService#create}
 * (the same validation, compute estimate, quota hold, queue and worker), and every read maps a training job, its
 * events and checkpoints to OpenAI's shapes. What OpenAI's request names that the platform has no field for (the
 * requested model, the files, the learning-rate multiplier) rides along in the job's metadata under
 * {@code openai_*} keys, so a job reads back as it was asked for.
 */
@ApplicationScoped
class OpenAiFineTuning {

    static final String MODEL_KEY = "openai_model";
    static final String TRAINING_FILE_KEY = "openai_training_file";
    static final String VALIDATION_FILE_KEY = "openai_validation_file";
    static final String MULTIPLIER_KEY = "openai_lr_multiplier";
    static final String SUFFIX_KEY = "openai_suffix";
    private static final int MAX_EVENTS = 10_000;

    private final TrainingJobService training;
    private final JobService jobs;
    private final DatasetService datasets;
    private final DatasetVersions versions;
    private final ModelRegistry models;
    private final TenantContext context;

    OpenAiFineTuning(TrainingJobService training, JobService jobs, DatasetService datasets, DatasetVersions versions,
            ModelRegistry models, TenantContext context) {
        this.context = context;
        this.training = training;
        this.jobs = jobs;
        this.datasets = datasets;
        this.versions = versions;
        this.models = models;
    }

    OpenAiViews.FineTuningJob create(OpenAiRequests.CreateFineTuningJob request, String idempotencyKey) {
        if (request.model() == null || request.model().isBlank()) {
            throw missing("model");
        }
        if (request.trainingFile() == null || request.trainingFile().isBlank()) {
            throw missing("training_file");
        }
        JsonNode hyperparameters = hyperparameters(request);
        Architecture architecture = architecture(request.model());
        DatasetView file = file(request.trainingFile(), "training_file");
        if (request.validationFile() != null) {
            file(request.validationFile(), "validation_file");
        }
        Integer epochs = integer(hyperparameters, "n_epochs", 1, 1000);
        Integer batchSize = integer(hyperparameters, "batch_size", 1, 4096);
        Double multiplier = number(hyperparameters, "learning_rate_multiplier");
        Double learningRate = multiplier == null ? null
                : Hyperparameters.preset(architecture, SizePreset.SMALL).learningRate() * multiplier;
        HyperparameterOverrides overrides = new HyperparameterOverrides(epochs, batchSize, learningRate, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);

        Map<String, String> metadata = new LinkedHashMap<>();
        if (request.metadata() != null) {
            request.metadata().forEach((key, value) -> {
                if (key.startsWith("openai_")) {
                    throw ProblemException.invalidField("metadata." + key, "keys starting with openai_ are reserved")
                            .with("param", "metadata");
                }
                metadata.put(key, value);
            });
        }
        metadata.put(MODEL_KEY, request.model());
        metadata.put(TRAINING_FILE_KEY, request.trainingFile());
        putIf(metadata, VALIDATION_FILE_KEY, request.validationFile());
        putIf(metadata, MULTIPLIER_KEY, multiplier == null ? null : multiplier.toString());
        putIf(metadata, SUFFIX_KEY, request.suffix());

        // A tenant's model is fine-tuned: the run starts from its weights (a new head for new labels).
        String initFromModel = request.model().startsWith("mdl_") ? request.model() : null;
        TrainingJobService.Created created = training.create(new TrainingJobRequests.CreateTrainingJob(
                file.latestVersion().id(), null, architecture, null, overrides, request.seed(), null,
                suffix(request.suffix()), metadata, false, initFromModel, null, null, null), idempotencyKey);
        return job(created.job());
    }

    OpenAiViews.FineTuningJob get(String id) {
        return job(training.get(id));
    }

    OpenAiViews.ListOf<OpenAiViews.FineTuningJob> list(String after, Integer limit, Map<String, String> metadata) {
        Page<TrainingJobView> page = training.list(new PageRequest(limit == null ? 20 : limit, after), null, metadata);
        return OpenAiViews.ListOf.of(page.data().stream().map(this::job).toList(), page.hasMore(),
                OpenAiViews.FineTuningJob::id);
    }

    OpenAiViews.FineTuningJob cancel(String id) {
        return job(training.cancel(id));
    }

    /** Newest first, as OpenAI lists them; {@code after} continues with older events. */
    OpenAiViews.ListOf<OpenAiViews.Event> events(String id, String after, Integer limit) {
        training.requireTrainingJob(id);
        List<JobEventView> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<JobEventView> page = jobs.events(id, new PageRequest(PageRequest.MAX_LIMIT, cursor));
            all.addAll(page.data());
            cursor = page.hasMore() ? page.nextCursor() : null;
        } while (cursor != null && all.size() < MAX_EVENTS);
        Collections.reverse(all);
        int from = 0;
        if (after != null) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(after)) {
                    from = i + 1;
                }
            }
        }
        int size = Math.max(1, Math.min(limit == null ? 20 : limit, PageRequest.MAX_LIMIT));
        int to = Math.min(all.size(), from + size);
        List<OpenAiViews.Event> data = all.subList(from, to).stream().map(OpenAiEvents::of).toList();
        return OpenAiViews.ListOf.of(data, to < all.size(), OpenAiViews.Event::id);
    }

    OpenAiViews.ListOf<OpenAiViews.Checkpoint> checkpoints(String id, String after, Integer limit) {
        List<CheckpointView> all = training.checkpoints(id);
        int from = 0;
        if (after != null) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(after)) {
                    from = i + 1;
                }
            }
        }
        int to = Math.min(all.size(), from + Math.max(1, Math.min(limit == null ? 10 : limit, PageRequest.MAX_LIMIT)));
        List<OpenAiViews.Checkpoint> data = all.subList(from, to).stream().map(c -> new OpenAiViews.Checkpoint(c.id(),
                "fine_tuning.job.checkpoint", OpenAiViews.seconds(c.createdAt()),
                c.trainingJobId() + ":epoch-" + c.completedEpochs() + ":step-" + c.globalStep(), c.trainingJobId(),
                Map.of("step", c.globalStep(), "epoch", c.completedEpochs()), c.globalStep())).toList();
        return OpenAiViews.ListOf.of(data, to < all.size(), OpenAiViews.Checkpoint::id);
    }

    private OpenAiViews.FineTuningJob job(TrainingJobView t) {
        Map<String, String> stored = t.metadata() == null ? Map.of() : t.metadata();
        Map<String, String> metadata = new LinkedHashMap<>();
        stored.forEach((key, value) -> {
            if (!key.startsWith("openai_")) {
                metadata.put(key, value);
            }
        });
        Hyperparameters hp = t.hyperparameters();
        Object multiplier = stored.containsKey(MULTIPLIER_KEY) ? Double.valueOf(stored.get(MULTIPLIER_KEY))
                : hp.learningRate() / Hyperparameters.preset(t.architecture(), SizePreset.SMALL).learningRate();
        OpenAiViews.Hyperparameters hyperparameters = new OpenAiViews.Hyperparameters(hp.epochs(), hp.batchSize(),
                multiplier);
        String trainingFile = stored.get(TRAINING_FILE_KEY) != null ? stored.get(TRAINING_FILE_KEY)
                : versions.get(t.datasetVersionId()).datasetId();
        OpenAiViews.JobError error = t.error() == null ? null
                : new OpenAiViews.JobError(t.error().code(), t.error().message(), null);
        return new OpenAiViews.FineTuningJob(t.id(), "fine_tuning.job", OpenAiViews.seconds(t.createdAt()),
                OpenAiViews.secondsOrNull(t.finishedAt()), stored.getOrDefault(MODEL_KEY, t.architecture().wireName()),
                t.modelId(), tenantOf(t), List.of(), status(t), stored.get(VALIDATION_FILE_KEY), trainingFile,
                hyperparameters, null, error, hp.seed(), OpenAiViews.secondsOrNull(t.estimatedFinishAt()), List.of(),
                metadata.isEmpty() ? null : metadata,
                new OpenAiViews.Method("supervised", Map.of("hyperparameters", hyperparameters)),
                stored.get(SUFFIX_KEY));
    }

    private String tenantOf(TrainingJobView t) {
        return context.requireTenant();
    }

    private static String status(TrainingJobView t) {
        return switch (t.state()) {
            case QUEUED -> "queued";
            case RUNNING, CANCELLING, PAUSING -> "running";
            case PAUSED -> "paused";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    /** An architecture by its name, or a tenant's model: then its architecture (the run starts from its weights). */
    private Architecture architecture(String model) {
        for (Architecture a : Architecture.values()) {
            if (a.wireName().equals(model)) {
                return a;
            }
        }
        if (model.startsWith("mdl_")) {
            ModelView base;
            try {
                base = models.get(model);
            } catch (ProblemException e) {
                throw modelNotAvailable(model);
            }
            return base.architecture();
        }
        throw modelNotAvailable(model);
    }

    private DatasetView file(String id, String param) {
        try {
            return datasets.get(id);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw ProblemException.badRequest("invalid-file", "File " + id + " does not exist (files are uploaded"
                        + " with POST /openai/v1/files).").with("param", param).with("openai_code", "invalid_file");
            }
            throw e;
        }
    }

    private static JsonNode hyperparameters(OpenAiRequests.CreateFineTuningJob request) {
        JsonNode method = request.method();
        if (method != null && !method.isNull()) {
            String type = method.path("type").asText("supervised");
            if (!"supervised".equals(type)) {
                throw ProblemException.badRequest("unsupported-method", "Modelyard fine-tunes classifiers with"
                        + " supervised examples; method '" + type + "' is not available.").with("param", "method.type");
            }
            JsonNode nested = method.path("supervised").path("hyperparameters");
            if (!nested.isMissingNode() && !nested.isNull()) {
                return nested;
            }
        }
        return request.hyperparameters() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : request.hyperparameters();
    }

    private static Integer integer(JsonNode hp, String name, int min, int max) {
        JsonNode value = hp.path(name);
        if (value.isMissingNode() || value.isNull() || "auto".equals(value.asText())) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw ProblemException.invalidField("hyperparameters." + name, "must be 'auto' or an integer from " + min
                    + " to " + max).with("param", "hyperparameters." + name);
        }
        return value.asInt();
    }

    private static Double number(JsonNode hp, String name) {
        JsonNode value = hp.path(name);
        if (value.isMissingNode() || value.isNull() || "auto".equals(value.asText())) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() <= 0 || value.asDouble() > 100) {
            throw ProblemException.invalidField("hyperparameters." + name, "must be 'auto' or a number above 0 and"
                    + " at most 100").with("param", "hyperparameters." + name);
        }
        return value.asDouble();
    }

    /** OpenAI takes any suffix up to 64 characters; the registry's names are lowercase slugs. */
    private static String suffix(String suffix) {
        if (suffix == null || suffix.isBlank()) {
            return null;
        }
        String slug = suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? null : slug.length() > 40 ? slug.substring(0, 40) : slug;
    }

    private static ProblemException modelNotAvailable(String model) {
        List<String> names = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            names.add(a.wireName());
        }
        return ProblemException.badRequest("model-not-available", "Model '" + model + "' cannot be fine-tuned here:"
                + " name an architecture (" + String.join(", ", names) + ") or one of your models (mdl_...).")
                .with("param", "model").with("openai_code", "model_not_available");
    }

    private static ProblemException missing(String param) {
        return ProblemException.invalidField(param, "is required").with("param", param);
    }

    private static void putIf(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
