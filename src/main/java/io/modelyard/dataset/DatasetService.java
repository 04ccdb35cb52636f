package io.modelyard.dataset;

import io.modelyard.audit.AuditLog;
import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.AfterCommit;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.dataset.DatasetRequests.UploadOptions;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.IngestOptions;
import io.modelyard.dataset.ingest.IngestRequest;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.dataset.ingest.SourceFormat;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The tenant's datasets: upload (streamed through the processing core into the blob store, then recorded),
 * list, get, delete with their blobs.
 */
@ApplicationScoped
public class DatasetService {

    private static final Logger LOG = Logger.getLogger(DatasetService.class);

    private final DatasetRepository datasets;
    private final DatasetVersionRepository versions;
    private final DatasetRecorder recorder;
    private final DatasetViews views;
    private final DatasetStorage storage;
    private final DatasetUsageGuard guard;
    private final DatasetPipeline pipeline;
    private final DatasetConfig config;
    private final Plans plans;
    private final BlobStore blobs;
    private final TenantContext context;
    private final AuditLog audit;
    private final AfterCommit afterCommit;
    private final ImageDatasetIngest images;

    DatasetService(DatasetRepository datasets, DatasetVersionRepository versions, DatasetRecorder recorder,
            DatasetViews views, DatasetStorage storage, DatasetUsageGuard guard, DatasetPipeline pipeline,
            DatasetConfig config, Plans plans, BlobStore blobs, TenantContext context, AuditLog audit,
            AfterCommit afterCommit, ImageDatasetIngest images) {
        this.images = images;
        this.datasets = datasets;
        this.versions = versions;
        this.recorder = recorder;
        this.views = views;
        this.storage = storage;
        this.guard = guard;
        this.pipeline = pipeline;
        this.config = config;
        this.plans = plans;
        this.blobs = blobs;
        this.context = context;
        this.audit = audit;
        this.afterCommit = afterCommit;
    }

    /** An upload about to be read: how to process it, and what its request said about its size. */
    public record Upload(UploadOptions options, String mediaType, String filename, long declaredBytes) {
    }

    /** The request's limits, checked before a byte of the body is read. */
    public record Admission(PlanLimits plan, long storedBytes) {

        long room() {
            return Math.max(0, plan.storageCapBytes() - storedBytes);
        }
    }

    /**
     * Checks the caller and the declared size before the body is read: 403 without {@code datasets:write},
     * 413 when Content-Length passes the plan's upload limit, 403 {@code storage-quota-exceeded} when it passes
     * what is left of the storage cap.
     *
     * @param declaredBytes Content-Length of the dataset's bytes (-1 when unknown)
     */
    public Admission admit(long declaredBytes) {
        context.require(Permission.DATASETS_WRITE);
        PlanLimits plan = plans.limitsOfCurrentTenant();
        if (declaredBytes > plan.maxUploadBytes()) {
            throw DatasetStorage.uploadTooLarge(plan, declaredBytes);
        }
        long stored = storage.usedBytes();
        Admission admission = new Admission(plan, stored);
        if (admission.room() == 0 || declaredBytes > admission.room()) {
            throw DatasetStorage.overQuota(plan, stored);
        }
        return admission;
    }

    /**
     * Streams {@code body} into a new dataset: the upload is stored as received, validated, cleaned, profiled,
     * split and stored as version 1, then recorded with its usage and audit record. A refusal leaves no row and
     * no blob. Idempotent on {@code idempotencyKey} for the same options and the same bytes.
     */
    public Idempotency.Outcome<DatasetView> upload(Admission admission, Upload upload, InputStream body,
            String idempotencyKey) throws IOException {
        String tenantId = context.require(Permission.DATASETS_WRITE);
        UploadOptions o = upload.options() == null
                ? new UploadOptions(null, null, null, null, null, null, null, null) : upload.options();
        TaskType task = OptionsResolver.task(o.task());
        if (task.isImage() || OptionsResolver.isZip(o.format(), upload.mediaType(), upload.filename())) {
            return uploadImages(tenantId, admission, upload, o, task, body, idempotencyKey);
        }
        String name = OptionsResolver.name(o.name(), upload.filename());
        DatasetFormat format = OptionsResolver.format(o.format(), upload.mediaType(), upload.filename());
        Character delimiter = OptionsResolver.delimiter(o.delimiter(), format, upload.mediaType());
        ColumnMap columns = o.columnMap() == null ? ColumnMap.GUESS : o.columnMap();
        Map<String, String> metadata = metadata(o.metadata());
        IngestOptions options = uploadOptions(admission, o);

        String datasetId = TypedId.generate("ds");
        String versionId = TypedId.generate("dsv");
        String prefix = DatasetKeys.dataset(tenantId, datasetId);
        PlanLimits plan = admission.plan();
        long rawLimit = Math.min(plan.maxUploadBytes(), admission.room());
        IngestResult result;
        try {
            result = pipeline.ingest(body, new IngestRequest(new SourceFormat(format, delimiter), task, columns,
                    options, DatasetKeys.raw(tenantId, datasetId, format), DatasetKeys.version(tenantId, datasetId,
                    versionId), rawLimit));
        } catch (BlobTooLargeException e) {
            // The raw limit is the plan's upload limit unless the storage cap leaves less room.
            throw e.maxBytes() == rawLimit && rawLimit == plan.maxUploadBytes()
                    ? DatasetStorage.uploadTooLarge(plan, -1)
                    : DatasetStorage.overQuota(plan, admission.storedBytes());
        }
        VersionOptions used = new VersionOptions("upload", columns, options.cleaning(), options.split(),
                options.limits());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("format", result.source().format().id());
        source.put("delimiter", result.source().delimiter() == null ? null
                : String.valueOf(result.source().delimiter()));
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("options", o);
        fingerprint.put("format", format.id());
        fingerprint.put("raw_sha256", result.raw().sha256());
        try {
            Idempotency.Outcome<DatasetView> outcome = recorder.recordUpload(new DatasetRecorder.NewDataset(
                    datasetId, versionId, name, task, views.write(columns), views.write(source), metadata,
                    used, result, 0), plan, idempotencyKey, fingerprint);
            if (outcome.replayed()) {
                deleteQuietly(prefix);
            }
            return outcome;
        } catch (RuntimeException e) {
            deleteQuietly(prefix);
            throw e;
        }
    }

    /** An image dataset: a zip of images (see {@link ImageDatasetIngest}). */
    private Idempotency.Outcome<DatasetView> uploadImages(String tenantId, Admission admission, Upload upload,
            UploadOptions o, TaskType task, InputStream body, String idempotencyKey) throws IOException {
        if (!task.isImage()) {
            throw OptionsResolver.invalid("task", "a zip archive is an image dataset: use image_classification");
        }
        if (!OptionsResolver.isZip(o.format(), upload.mediaType(), upload.filename())) {
            throw OptionsResolver.invalid("format", "an image_classification dataset is a zip archive of images "
                    + "(Content-Type application/zip)");
        }
        if (o.columnMap() != null) {
            throw OptionsResolver.invalid("column_map", "an image dataset takes its labels from class folders or a "
                    + "labels.csv manifest, not a column map");
        }
        String name = OptionsResolver.name(o.name(), upload.filename());
        Map<String, String> metadata = metadata(o.metadata());
        IngestOptions options = uploadOptions(admission, o);
        String datasetId = TypedId.generate("ds");
        String versionId = TypedId.generate("dsv");
        String prefix = DatasetKeys.dataset(tenantId, datasetId);
        PlanLimits plan = admission.plan();
        long rawLimit = Math.min(plan.maxUploadBytes(), admission.room());
        ImageDatasetIngest.Ingested ingested;
        try {
            ingested = images.ingest(body, tenantId, datasetId, versionId, options, rawLimit, admission.room());
        } catch (BlobTooLargeException e) {
            deleteQuietly(prefix);
            throw e.maxBytes() == rawLimit && rawLimit == plan.maxUploadBytes()
                    ? DatasetStorage.uploadTooLarge(plan, -1)
                    : DatasetStorage.overQuota(plan, admission.storedBytes());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(prefix);
            throw e;
        }
        IngestResult result = ingested.result();
        VersionOptions used = new VersionOptions("upload", ColumnMap.GUESS, options.cleaning(), options.split(),
                options.limits());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("format", DatasetFormat.CSV.id());
        source.put("delimiter", ",");
        source.put("archive", "zip");
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("options", o);
        fingerprint.put("format", "zip");
        fingerprint.put("manifest_sha256", result.raw().sha256());
        try {
            Idempotency.Outcome<DatasetView> outcome = recorder.recordUpload(new DatasetRecorder.NewDataset(
                    datasetId, versionId, name, task, views.write(ColumnMap.GUESS), views.write(source),
                    metadata, used, result, ingested.imageBytes()), plan, idempotencyKey, fingerprint);
            if (outcome.replayed()) {
                deleteQuietly(prefix);
            }
            return outcome;
        } catch (RuntimeException e) {
            deleteQuietly(prefix);
            throw e;
        }
    }

    @Transactional
    public Page<DatasetView> list(PageRequest page, String name) {
        context.require(Permission.READ);
        List<Dataset> rows = datasets.page(page, name);
        Map<String, DatasetVersion> latest = new HashMap<>();
        versions.latestOf(rows.stream().map(d -> d.id).toList()).forEach(v -> latest.put(v.datasetId, v));
        return Page.of(rows, page, d -> d.id, d -> views.dataset(d, latest.get(d.id)));
    }

    @Transactional
    public DatasetView get(String id) {
        context.require(Permission.READ);
        Dataset d = find(id);
        return views.dataset(d, latest(d));
    }

    /** The current tenant's datasets created before {@code cutoff}, oldest first (for its retention). */
    @Transactional
    public List<String> createdBefore(java.time.Instant cutoff) {
        context.require(Permission.READ);
        return datasets.<Dataset>list("createdAt < ?1 order by createdAt", cutoff).stream().map(d -> d.id).toList();
    }

    /**
     * Deletes a dataset, all its versions and (after commit) its blobs. 409 {@code dataset-in-use} while an
     * unfinished job reads one of its versions.
     */
    @Transactional
    public void delete(String id) {
        context.require(Permission.DATASETS_WRITE);
        String tenantId = context.requireTenant();
        Dataset d = datasets.lockDataset(id).orElseThrow(() -> ProblemException.notFound("dataset", id));
        List<String> versionIds = versions.ofDataset(id).stream().map(v -> v.id).toList();
        guard.activeJobUsing(versionIds).ifPresent(job -> {
            throw ProblemException.conflict("dataset-in-use", "Job " + job + " uses a version of this dataset; "
                    + "cancel it or wait until it ends, then delete the dataset.").with("job_id", job);
        });
        datasets.delete(d);
        audit.record("dataset.deleted", "dataset", id, Map.of("name", d.name, "versions", versionIds.size(),
                "stored_bytes", d.storedBytes));
        String prefix = DatasetKeys.dataset(tenantId, id);
        afterCommit.run(() -> deleteQuietly(prefix));
    }

    private DatasetVersion latest(Dataset d) {
        return versions.find("datasetId = ?1 and number = ?2", d.id, d.versionCount).firstResult();
    }

    Dataset find(String id) {
        return datasets.findDataset(id).orElseThrow(() -> ProblemException.notFound("dataset", id));
    }

    /**
     * Holds the dataset against deletion for the rest of the transaction, for one that makes a job read it:
     * {@link #delete} waits for that transaction, then finds the job and refuses.
     */
    void holdAgainstDeletion(String id) {
        datasets.shareDataset(id);
    }

    /** The processing limits with the upload's cleaning and split options over their defaults. */
    private IngestOptions uploadOptions(Admission admission, UploadOptions o) {
        IngestOptions base = processingOptions(admission.room());
        return base.withCleaning(OptionsResolver.cleaning(base.cleaning(), o.cleaning()))
                .withSplit(OptionsResolver.split(base.split(), o.split()));
    }

    IngestOptions processingOptions(long room) {
        var limits = new io.modelyard.dataset.format.ParseLimits((int) config.maxFieldBytes().asLongValue(),
                (int) Math.max(config.maxRowBytes().asLongValue(), config.maxFieldBytes().asLongValue()),
                config.maxColumns(), config.maxRows());
        return new IngestOptions(limits, null, null, config.maxListedIssues(), config.maxClasses(),
                Math.max(1, room));
    }

    private static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > 50) {
            throw OptionsResolver.invalid("metadata", "may have at most 50 keys");
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().length() > 40 || e.getValue() == null || e.getValue().length() > 500) {
                throw OptionsResolver.invalid("metadata." + e.getKey(),
                        "keys are at most 40 characters, values non-null and at most 500");
            }
        }
        return new LinkedHashMap<>(metadata);
    }

    void deleteQuietly(String prefix) {
        try {
            blobs.deleteByPrefix(prefix);
        } catch (RuntimeException e) {
            // The orphan sweeper removes them later.
            LOG.warnf(e, "Could not delete blobs under %s; the sweeper will", prefix);
        }
    }
}
