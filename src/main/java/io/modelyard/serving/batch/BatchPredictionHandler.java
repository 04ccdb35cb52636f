package io.modelyard.serving.batch;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.dataset.split.Split;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ServableModel;
import io.modelyard.serving.InferenceBackend;
import io.modelyard.serving.InputRejectedException;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs {@code batch_predict} jobs on workers: reads the dataset version (or uploaded file) in chunks, predicts
 * each chunk through the {@link InferenceBackend} online predictions use (same model cache, same engine, same
 * preprocessing), writes the rows to a temporary file and stores it in the blob store once complete; the
 * predictions are billed in the transaction that records the job's success. A job that is cancelled or fails
 * leaves no result behind; a repeated run starts over and overwrites the same key. An uploaded input is deleted
 * when the job ends.
 */
@ApplicationScoped
public class BatchPredictionHandler implements JobHandler {

    public static final String TYPE = "batch_predict";
    private static final double INFO_EVERY_PERCENT = 5;
    /** A chunk of images ends early past this many encoded bytes, so a chunk of large photos stays in memory. */
    private static final long MAX_CHUNK_IMAGE_BYTES = 64L << 20;

    private final ModelRegistry models;
    private final DatasetVersions versions;
    private final DatasetImages images;
    private final InferenceBackend backend;
    private final BatchResults results;
    private final BatchPredictionQuota quota;
    private final BatchUploads uploads;
    private final TenantContext context;
    private final BatchConfig config;

    BatchPredictionHandler(ModelRegistry models, DatasetVersions versions, DatasetImages images,
            InferenceBackend backend, BatchResults results, BatchPredictionQuota quota, BatchUploads uploads,
            TenantContext context, BatchConfig config) {
        this.images = images;
        this.uploads = uploads;
        this.models = models;
        this.versions = versions;
        this.backend = backend;
        this.results = results;
        this.quota = quota;
        this.context = context;
        this.config = config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) throws IOException {
        BatchPredictionPayload payload = execution.payload(BatchPredictionPayload.class);
        try {
            return predict(execution, payload);
        } catch (JobStoppedException e) {
            if (execution.stopRequested() == StopReason.CANCEL) {
                giveUp(execution.jobId(), payload);
            }
            throw e;
        } catch (JobFailedException e) {
            if (!e.isRetryable()) {
                giveUp(execution.jobId(), payload);
            }
            throw e;
        }
    }

    /**
     * The job ends without a result: its hold on the quota goes back, and a result an earlier run stored before
     * its worker died (and that this run could not confirm) is deleted, so no file outlives its job's failure;
     * so is an uploaded input, which no later run will read.
     */
    private void giveUp(String jobId, BatchPredictionPayload payload) {
        results.delete(context.requireTenant(), jobId, payload.format());
        uploads.delete(payload.inputBlobKey());
        QuarkusTransaction.requiringNew().run(() -> quota.release(jobId));
    }

    private JobResult predict(JobExecution execution, BatchPredictionPayload payload) throws IOException {
        String tenantId = context.requireTenant();
        ServableModel model = lookUp("model_not_found", "The model " + payload.modelId() + " no longer exists.",
                () -> models.servable(payload.modelId()));
        ModelRef ref = ModelRef.of(model, tenantId);
        ModelSignature signature = loaded(() -> backend.describe(ref, config.loadWait()));
        Path file = Files.createTempFile("modelyard-" + execution.jobId() + "-", "." + payload.format().wireName());
        try {
            long rows;
            boolean imageModel = model.task().isImage();
            try (InputRows input = openRows(payload, signature, imageModel)) {
                execution.events().info("Predicting " + payload.rows() + " rows of " + (payload.uploaded()
                        ? payload.imageArchive() ? "the uploaded archive" : "the uploaded file"
                        : payload.datasetVersionId()) + " with model " + model.id() + " (" + model.name() + " v"
                        + model.version() + ").");
                rows = writeAll(execution, payload, input, ref, signature.labels(), imageModel, file);
            }
            BlobInfo blob = store(tenantId, execution.jobId(), payload.format(), file);
            execution.events().info("Wrote " + rows + " predictions (" + blob.size() + " bytes).");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("rows", rows);
            result.put("result_bytes", blob.size());
            result.put("result_sha256", blob.sha256());
            result.put("format", payload.format().wireName());
            result.put("model_id", model.id());
            // Billed in the transaction that marks the job succeeded: a run whose success is never recorded (its
            // worker lost the job) bills nothing, and the run that does record it bills once.
            return JobResult.of(result).whenRecorded(() -> {
                quota.settle(execution.jobId(), model.id(), payload.apiKeyId(), rows);
                uploads.deleteAfterCommit(payload.inputBlobKey());
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Streams every row's prediction into {@code file}; stops between chunks when asked to. */
    private long writeAll(JobExecution execution, BatchPredictionPayload payload, InputRows rows, ModelRef ref,
            List<String> labels, boolean imageModel, Path file) throws IOException {
        int chunkSize = Math.max(1, config.chunkSize());
        long total = Math.max(1, payload.rows());
        List<PredictionInput> chunk = new ArrayList<>(chunkSize);
        List<Split> splits = new ArrayList<>(chunkSize);
        List<ResultWriter.Image> chunkImages = new ArrayList<>(chunkSize);
        long written = 0;
        double lastInfo = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                ResultWriter writer = ResultWriter.open(payload.format(), out, labels, payload.topK(), imageModel)) {
            boolean more = true;
            while (more) {
                chunk.clear();
                splits.clear();
                chunkImages.clear();
                long imageBytes = 0;
                while (chunk.size() < chunkSize && imageBytes < MAX_CHUNK_IMAGE_BYTES && (more = rows.next())) {
                    PredictionInput input = rows.input();
                    chunk.add(input);
                    splits.add(rows.split());
                    chunkImages.add(rows.image());
                    imageBytes += input.image() == null ? 0 : input.image().length;
                }
                if (chunk.isEmpty()) {
                    break;
                }
                List<Prediction> predictions = predictChunk(ref, chunk, chunkImages, written);
                for (int i = 0; i < predictions.size(); i++) {
                    writer.write(written + i, splits.get(i), chunkImages.get(i), predictions.get(i), payload.topK());
                }
                written += predictions.size();
                double percent = Math.min(100.0, 100.0 * written / total);
                execution.events().progress(Math.min(99.0, percent));
                if (percent - lastInfo >= INFO_EVERY_PERCENT || !more) {
                    execution.events().info("Predicted " + written + " of " + payload.rows() + " rows.");
                    lastInfo = percent;
                }
                execution.throwIfStopRequested();
            }
        } catch (UncheckedIOException | BlobStoreException e) {
            throw JobFailedException.retryable("dataset_unreadable", "The input rows could not be read.", e);
        }
        return written;
    }

    /**
     * The job's rows: its uploaded file's, or its dataset version's. An image version's rows are read with the
     * version's own dataset's images, in the tenant the job runs for.
     */
    private InputRows openRows(BatchPredictionPayload payload, ModelSignature signature, boolean imageModel)
            throws IOException {
        if (payload.uploaded()) {
            try {
                return uploads.open(payload, signature);
            } catch (ProblemException e) {
                if (e.status() == 404) {
                    throw new JobFailedException("input_not_found", "The uploaded file no longer exists.");
                }
                throw new JobFailedException("invalid_input", e.getMessage());
            } catch (BlobStoreException e) {
                throw JobFailedException.retryable("dataset_unreadable", "The uploaded file could not be read.", e);
            }
        }
        TrainingDataset dataset = lookUp("dataset_version_not_found", "The dataset version "
                + payload.datasetVersionId() + " no longer exists.", () -> versions.forTraining(
                payload.datasetVersionId()));
        if (imageModel) {
            Map<String, String> firstFiles = images.firstFileNames(dataset.datasetId());
            return InputRows.ofImages(versions.openRows(dataset), dataset.inputs().get(0).index(),
                    id -> images.read(dataset.datasetId(), id), firstFiles);
        }
        return InputRows.of(versions.openRows(dataset), BatchInputs.of(dataset, signature));
    }

    /** Predicts one chunk; a row the model cannot read fails the job, naming the row (and an image's file). */
    private List<Prediction> predictChunk(ModelRef ref, List<PredictionInput> chunk,
            List<ResultWriter.Image> chunkImages, long firstRow) {
        try {
            return loaded(() -> backend.infer(ref, chunk, false, 0, config.loadWait())).predictions();
        } catch (InputRejectedException e) {
            ResultWriter.Image image = e.row() >= 0 && e.row() < chunkImages.size() ? chunkImages.get(e.row()) : null;
            String field = image != null ? " (" + image.file() + ")"
                    : e.feature() == null ? "" : " (" + e.feature() + ")";
            throw new JobFailedException("invalid_input", "Row " + (firstRow + e.row()) + field
                    + " cannot be predicted: " + e.detail());
        }
    }

    private BlobInfo store(String tenantId, String jobId, ResultFormat format, Path file) throws IOException {
        try {
            return results.store(tenantId, jobId, format, file);
        } catch (BlobTooLargeException e) {
            throw new JobFailedException("result_too_large", "The result is larger than "
                    + config.maxResultSize().asLongValue() + " bytes.");
        } catch (BlobStoreException e) {
            throw JobFailedException.retryable("result_not_stored", "The result could not be stored.", e);
        }
    }

    /** A model still loading after {@code load-wait} (503) is a transient failure: retry later. */
    private static <T> T loaded(Supplier<T> call) {
        try {
            return call.get();
        } catch (ProblemException e) {
            if (e.status() == 503) {
                throw JobFailedException.retryable("model_loading", "The model did not load in time.", e);
            }
            throw e;
        }
    }

    private static <T> T lookUp(String code, String message, Supplier<T> find) {
        try {
            return find.get();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw new JobFailedException(code, message);
            }
            throw e;
        }
    }
}
