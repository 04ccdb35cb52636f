package io.modelyard.serving.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.WholeNumbers;
import io.modelyard.dataset.DatasetStorage;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.OptionsResolver;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ServableModel;
import io.modelyard.serving.InferenceBackend;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.ModelSignature;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Batch predictions: validated and resolved at creation, queued as {@code batch_predict} jobs, run by
 * {@link BatchPredictionHandler} on workers. Their life (state, events, cancel) is the job queue's; a batch
 * prediction's id is its job's id.
 */
@ApplicationScoped
public class BatchPredictionService {

    private final JobService jobs;
    private final ModelRegistry models;
    private final DatasetVersions versions;
    private final BatchPredictionQuota quota;
    private final BatchResults results;
    private final BatchUploads uploads;
    private final InferenceBackend backend;
    private final Plans plans;
    private final Idempotency idempotency;
    private final TenantContext context;
    private final BatchConfig config;
    private final ObjectMapper json;
    private final DatasetStorage storage;

    BatchPredictionService(JobService jobs, ModelRegistry models, DatasetVersions versions,
            BatchPredictionQuota quota, BatchResults results, BatchUploads uploads, InferenceBackend backend,
            Plans plans, Idempotency idempotency, TenantContext context, BatchConfig config, ObjectMapper json,
            DatasetStorage storage) {
        this.storage = storage;
        this.uploads = uploads;
        this.backend = backend;
        this.plans = plans;
        this.idempotency = idempotency;
        this.jobs = jobs;
        this.models = models;
        this.versions = versions;
        this.quota = quota;
        this.results = results;
        this.context = context;
        this.config = config;
        this.json = json;
    }

    /** The answer to a create; {@code replayed} when an {@code Idempotency-Key} repeated an earlier one. */
    public record Created(BatchPredictionView view, boolean replayed) {
    }

    /**
     * Queues a batch prediction. Needs {@code jobs:write} (it is a job) and {@code predict} (it answers
     * predictions); unknown or foreign models and versions are 404, a version of another task 422, a tenant
     * whose predictions quota cannot cover every row 402.
     */
    @Transactional
    public Created create(BatchPredictionRequests.CreateBatchPrediction request, String idempotencyKey) {
        context.require(Permission.JOBS_WRITE);
        ResultFormat format = ResultFormat.parse(request.format());
        ServableModel model = models.servable(request.model());
        TrainingDataset dataset = versions.forTraining(request.datasetVersionId());
        if (dataset.task() != model.task()) {
            throw ProblemException.unprocessable("task-mismatch", "Dataset version " + dataset.versionId()
                    + " is for " + dataset.task().wireName() + "; model " + model.id() + " is a " + model.task()
                    + " model.").with("errors", List.of(new ProblemException.FieldError("dataset_version_id",
                            "must be a " + model.task().wireName() + " dataset version")));
        }
        checkTopK(request.topK(), model);
        BatchPredictionPayload payload = BatchPredictionPayload.ofVersion(model.id(), dataset.versionId(), format,
                request.topK(), dataset.rowCount(), apiKeyId());
        Idempotency.Outcome<JobView> job = jobs.enqueue(BatchPredictionHandler.TYPE, payload, request.metadata(),
                config.maxAttempts(), idempotencyKey);
        if (!job.replayed()) {
            // In the creating transaction: a refusal (402) rolls the job back, so nothing is enqueued. A replay
            // holds nothing again: the first answer's job already holds (or has settled) its rows.
            quota.reserve(job.body().id(), dataset.rowCount());
        }
        return new Created(BatchPredictionView.of(job.body(), payload(job.body())), job.replayed());
    }

    /** Options of an upload, from the query string. */
    public record UploadOptions(String model, String format, Integer topK, String delimiter,
            Map<String, String> metadata) {

        /**
         * A {@code top_k} as a query parameter or form field gives it: absent or blank for every class's
         * probability, else a whole number (its range is checked with the model).
         */
        public static Integer topK(String value) {
            return WholeNumbers.optionalInt(value, "top_k", "must be a whole number, or absent for every class");
        }
    }

    /**
     * Queues a batch prediction of an uploaded CSV or JSON Lines file (rows without labels): the model is
     * resolved first (404), the body streamed to the store (413 past the plan's upload limit) and read once to
     * check its columns and count its rows (422), then the job is enqueued and its rows held (402) in one
     * transaction. Every refusal leaves neither blob nor job.
     *
     * @param declaredBytes the Content-Length, or -1
     */
    public Created createFromUpload(UploadOptions options, String mediaType, InputStream body, long declaredBytes,
            String idempotencyKey) {
        String tenantId = context.require(Permission.JOBS_WRITE);
        requireModel(options);
        ResultFormat format = ResultFormat.parse(options.format());
        DatasetFormat inputFormat = DatasetFormat.fromMediaType(mediaType).orElseThrow(() ->
                ProblemException.unsupportedMediaType("Upload the rows as text/csv or application/x-ndjson."));
        Character delimiter = OptionsResolver.delimiter(options.delimiter(), inputFormat, mediaType);
        ServableModel model = uploadModel(options);
        if (model.task().isImage()) {
            throw uploadMismatch(model, "Model " + model.id() + " is an image model: upload its images as a zip "
                    + "(Content-Type application/zip), or give a dataset_version_id.");
        }
        Admitted admitted = admit(declaredBytes);
        ModelSignature signature = backend.describe(ModelRef.of(model, tenantId), config.loadWait());
        BatchUploads.Stored input = uploads.store(tenantId, body, inputFormat, delimiter, admitted.plan(),
                admitted.room(), signature);
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("input_format", inputFormat.id());
        fingerprint.put("delimiter", options.delimiter());
        return enqueueUpload(tenantId, model, admitted.plan(), input, format, options, fingerprint, idempotencyKey);
    }

    /**
     * Queues a batch prediction of the images of an uploaded zip, for an image model: the model is resolved
     * first (404; a model of another task 422), the zip spooled within the plan's upload limit (413) and read as
     * an image dataset's upload is read, refusing what an image dataset refuses (400/422, see
     * {@link BatchUploads#storeImages}), then the job is enqueued and its rows held (402) in one transaction. Every
     * refusal leaves neither spooled file, blob nor job.
     *
     * @param declaredBytes the Content-Length, or -1
     */
    public Created createFromArchive(UploadOptions options, InputStream body, long declaredBytes,
            String idempotencyKey) {
        String tenantId = context.require(Permission.JOBS_WRITE);
        requireModel(options);
        ResultFormat format = ResultFormat.parse(options.format());
        if (options.delimiter() != null) {
            throw ProblemException.invalidField("delimiter", "is for CSV uploads; a zip holds images");
        }
        ServableModel model = uploadModel(options);
        if (!model.task().isImage()) {
            throw uploadMismatch(model, "A zip of images is for image models; model " + model.id() + " is a "
                    + model.task().wireName() + " model: upload its rows as text/csv or application/x-ndjson.");
        }
        Admitted admitted = admit(declaredBytes);
        BatchUploads.Stored input = uploads.storeImages(tenantId, body, admitted.plan(), admitted.room());
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("input_format", BatchPredictionPayload.ZIP);
        return enqueueUpload(tenantId, model, admitted.plan(), input, format, options, fingerprint, idempotencyKey);
    }

    private static void requireModel(UploadOptions options) {
        if (options.model() == null || options.model().isBlank()) {
            throw ProblemException.invalidField("model", "is required (a model id or alias)");
        }
    }

    private ServableModel uploadModel(UploadOptions options) {
        ServableModel model = QuarkusTransaction.requiringNew().call(() -> models.servable(options.model()));
        checkTopK(options.topK(), model);
        return model;
    }

    /** 422 {@code task-mismatch}: the upload is not what the model reads; said before the body is read. */
    private static ProblemException uploadMismatch(ServableModel model, String detail) {
        return ProblemException.unprocessable("task-mismatch", detail).with("task", model.task().wireName())
                .with("errors", List.of(new ProblemException.FieldError("Content-Type", "does not fit a "
                        + model.task().wireName() + " model")));
    }

    /** The tenant's plan and the bytes it may still store. */
    private record Admitted(PlanLimits plan, long room) {
    }

    /** Admits an upload whose declared size is within the plan's upload limit (413) and the storage left (403). */
    private Admitted admit(long declaredBytes) {
        PlanLimits plan = QuarkusTransaction.requiringNew().call(plans::limitsOfCurrentTenant);
        if (declaredBytes > plan.maxUploadBytes()) {
            throw DatasetStorage.uploadTooLarge(plan, declaredBytes);
        }
        // The input counts against the storage cap until its job ends: refuse early what cannot fit.
        long room = storage.roomLeft(plan);
        if (declaredBytes > room || room == 0) {
            throw DatasetStorage.overQuota(plan, plan.storageCapBytes() - room);
        }
        return new Admitted(plan, room);
    }

    /** Enqueues the job of a stored upload and holds its rows, in one transaction; any refusal deletes the input. */
    private Created enqueueUpload(String tenantId, ServableModel model, PlanLimits plan, BatchUploads.Stored input,
            ResultFormat format, UploadOptions options, Map<String, Object> inputFingerprint, String idempotencyKey) {
        try {
            BatchPredictionPayload payload = BatchPredictionPayload.ofUpload(model.id(), input, format,
                    options.topK(), apiKeyId());
            // The same key with the same options and bytes replays; the bytes are fingerprinted by their hash.
            Map<String, Object> fingerprint = new LinkedHashMap<>();
            fingerprint.put("model_id", model.id());
            fingerprint.put("format", format.wireName());
            fingerprint.put("top_k", options.topK());
            fingerprint.putAll(inputFingerprint);
            fingerprint.put("input_sha256", input.sha256());
            fingerprint.put("metadata", options.metadata());
            Idempotency.Outcome<BatchPredictionView> outcome = QuarkusTransaction.requiringNew().call(() ->
                    idempotency.once(tenantId, idempotencyKey, "create_batch_prediction_upload", fingerprint,
                            BatchPredictionView.class, () -> {
                                storage.claimRoom(tenantId, plan, input.bytes());
                                JobView job = jobs.enqueue(BatchPredictionHandler.TYPE, payload, options.metadata(),
                                        config.maxAttempts(), null).body();
                                quota.reserve(job.id(), input.rows());
                                return BatchPredictionView.of(job, payload);
                            }, view -> view));
            if (outcome.replayed()) {
                uploads.delete(input.key()); // the first request's job reads its own copy
            }
            return new Created(outcome.body(), outcome.replayed());
        } catch (RuntimeException e) {
            uploads.delete(input.key());
            throw e;
        }
    }

    private static void checkTopK(Integer topK, ServableModel model) {
        if (topK != null) {
            if (topK < 1) {
                throw ProblemException.invalidField("top_k", "must be at least 1");
            }
            if (model.labels().isEmpty()) {
                throw ProblemException.unprocessable("task-mismatch", "top_k is for classification models; model "
                        + model.id() + " is a " + model.task().wireName() + " model.").with("errors",
                        List.of(new ProblemException.FieldError("top_k", "only for classification models")));
            }
        }
    }

    private String apiKeyId() {
        return context.actor().type() == Actor.Type.API_KEY ? context.actor().id() : null;
    }

    @Transactional
    public BatchPredictionView get(String id) {
        JobView job = require(id);
        return BatchPredictionView.of(job, payload(job));
    }

    @Transactional
    public Page<BatchPredictionView> list(PageRequest page, JobState state, Map<String, String> metadata) {
        Page<JobView> jobPage = jobs.list(page, BatchPredictionHandler.TYPE, state, metadata);
        return new Page<>("list", jobPage.data().stream().map(j -> BatchPredictionView.of(j, payload(j))).toList(),
                jobPage.hasMore(), jobPage.nextCursor());
    }

    /** Cancels the job; a cancelled job's held predictions are given back at once. */
    @Transactional
    public BatchPredictionView cancel(String id) {
        require(id);
        JobView job = jobs.cancel(id);
        if (job.state() == JobState.CANCELLED || job.state() == JobState.CANCELLING) {
            quota.release(id);
        }
        if (job.state() == JobState.CANCELLED) {
            // A queued job never runs: nothing else deletes its upload. A running one's handler does.
            uploads.deleteAfterCommit(payload(job).inputBlobKey());
        }
        return BatchPredictionView.of(job, payload(job));
    }

    /** Checks that {@code id} is one of the tenant's batch predictions (404 otherwise). */
    @Transactional
    public void requireBatchPrediction(String id) {
        require(id);
    }

    /** The result file of a succeeded job; 409 {@code result-not-ready} before. */
    @Transactional
    public BatchResults.Download result(String id) {
        JobView job = require(id);
        if (job.state() != JobState.SUCCEEDED) {
            throw ProblemException.conflict("result-not-ready", "Batch prediction " + id + " is "
                    + job.state().wireName() + "; its result can be downloaded once it has succeeded.")
                    .with("state", job.state().wireName());
        }
        BatchPredictionView view = BatchPredictionView.of(job, payload(job));
        BatchResults.Download download = results.download(context.requireTenant(), id, view.result());
        if (!results.exists(download)) {
            throw new ProblemException(410, "result-expired", "Gone", "The result of batch prediction " + id
                    + " was deleted after the retention period; run the batch prediction again.");
        }
        return download;
    }

    private JobView require(String id) {
        JobView job = jobs.get(id);
        if (!BatchPredictionHandler.TYPE.equals(job.type())) {
            throw ProblemException.notFound("batch prediction", id);
        }
        return job;
    }

    private BatchPredictionPayload payload(JobView job) {
        return json.convertValue(job.payload(), BatchPredictionPayload.class);
    }
}
