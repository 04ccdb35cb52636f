package io.modelyard.serving.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ServableModel;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
    private final TenantContext context;
    private final BatchConfig config;
    private final ObjectMapper json;

    BatchPredictionService(JobService jobs, ModelRegistry models, DatasetVersions versions,
            BatchPredictionQuota quota, BatchResults results, TenantContext context, BatchConfig config,
            ObjectMapper json) {
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
        if (!dataset.task().id().equals(model.task())) {
            throw ProblemException.unprocessable("task-mismatch", "Dataset version " + dataset.versionId()
                    + " is for " + dataset.task().id() + "; model " + model.id() + " is a " + model.task()
                    + " model.").with("errors", List.of(new ProblemException.FieldError("dataset_version_id",
                            "must be a " + model.task() + " dataset version")));
        }
        if (request.topK() != null) {
            if (request.topK() < 1) {
                throw ProblemException.invalidField("top_k", "must be at least 1");
            }
            if (model.labels().isEmpty()) {
                throw ProblemException.unprocessable("task-mismatch", "top_k is for classification models; model "
                        + model.id() + " is a " + model.task() + " model.").with("errors",
                        List.of(new ProblemException.FieldError("top_k", "only for classification models")));
            }
        }
        String apiKeyId = context.actor().type() == Actor.Type.API_KEY ? context.actor().id() : null;
        BatchPredictionPayload payload = new BatchPredictionPayload(model.id(), dataset.versionId(), format,
                request.topK(), dataset.rowCount(), apiKeyId);
        Idempotency.Outcome<JobView> job = jobs.enqueue(BatchPredictionHandler.TYPE, payload, request.metadata(),
                config.maxAttempts(), idempotencyKey);
        if (!job.replayed()) {
            // In the creating transaction: a refusal (402) rolls the job back, so nothing is enqueued. A replay
            // holds nothing again: the first answer's job already holds (or has settled) its rows.
            quota.reserve(job.body().id(), dataset.rowCount());
        }
        return new Created(BatchPredictionView.of(job.body(), payload(job.body())), job.replayed());
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
