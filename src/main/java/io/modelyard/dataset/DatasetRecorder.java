package io.modelyard.dataset;

import io.modelyard.audit.AuditLog;
import io.modelyard.billing.Meter;
import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.Usage;
import io.modelyard.billing.metering.Quotas;
import io.modelyard.common.Idempotency;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.model.spec.TaskType;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records processed uploads and re-cleans: one transaction per new version that re-checks the storage cap
 * under the tenant's lock, writes the rows, the usage and the audit record, and the idempotency key. The blobs
 * are already stored; when this fails or replays, the caller deletes them.
 */
@ApplicationScoped
class DatasetRecorder {

    private final DatasetRepository datasets;
    private final DatasetVersionRepository versions;
    private final DatasetStorage storage;
    private final DatasetViews views;
    private final TenantContext context;
    private final Idempotency idempotency;
    private final Quotas quotas;
    private final AuditLog audit;
    private final PlatformClock clock;

    DatasetRecorder(DatasetRepository datasets, DatasetVersionRepository versions, DatasetStorage storage,
            DatasetViews views, TenantContext context, Idempotency idempotency, Quotas quotas, AuditLog audit,
            PlatformClock clock) {
        this.datasets = datasets;
        this.versions = versions;
        this.storage = storage;
        this.views = views;
        this.context = context;
        this.idempotency = idempotency;
        this.quotas = quotas;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What an upload produced and how it was asked for.
     *
     * @param sharedBytes bytes stored for all the dataset's versions besides its upload and version (an image
     *                    dataset's images, thumbnails and index)
     */
    record NewDataset(String datasetId, String versionId, String name, TaskType task, String columnMap,
            String sourceFormat, Map<String, String> metadata, VersionOptions options, IngestResult result,
            long sharedBytes) {
    }

    @Transactional
    Idempotency.Outcome<DatasetView> recordUpload(NewDataset upload, PlanLimits plan, String idempotencyKey,
            Object fingerprint) {
        String tenantId = context.requireTenant();
        return idempotency.once(tenantId, idempotencyKey, "create_dataset", fingerprint, DatasetView.class, () -> {
            long bytes = upload.result().raw().size() + upload.result().version().size() + upload.sharedBytes();
            datasets.lockTenantStorage(tenantId);
            storage.requireRoom(plan, bytes);
            Dataset d = new Dataset();
            d.id = upload.datasetId();
            d.name = upload.name();
            d.task = upload.task();
            d.columnMap = upload.columnMap();
            d.sourceFormat = upload.sourceFormat();
            d.status = Dataset.READY;
            d.metadata = views.write(upload.metadata());
            d.createdBy = context.actor().reference();
            d.createdAt = clock.now();
            d.updatedAt = d.createdAt;
            int number = d.addVersion(bytes, d.createdAt);
            datasets.persist(d);
            DatasetVersion v = version(upload.versionId(), d, number, DatasetVersion.RAW, null, upload.options(),
                    upload.result());
            versions.persist(v);
            recordUsage(v);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", d.name);
            details.put("task", d.task.wireName());
            details.put("version_id", v.id);
            details.put("rows", v.rowCount);
            details.put("bytes", upload.result().raw().size());
            details.put("raw_sha256", v.rawSha256);
            audit.record("dataset.created", "dataset", d.id, details);
            return views.dataset(d, v);
        }, view -> view);
    }

    /** A re-clean of {@code parent}: the dataset must still exist (a concurrent delete wins: 404). */
    @Transactional
    Idempotency.Outcome<DatasetVersionView> recordClean(String datasetId, String parentId, String versionId,
            VersionOptions options, IngestResult result, PlanLimits plan, String idempotencyKey,
            Object fingerprint) {
        String tenantId = context.requireTenant();
        return idempotency.once(tenantId, idempotencyKey, "clean_dataset_version", fingerprint,
                DatasetVersionView.class, () -> {
                    Dataset d = datasets.lockDataset(datasetId)
                            .orElseThrow(() -> ProblemException.notFound("dataset version", parentId));
                    long bytes = result.version().size();
                    datasets.lockTenantStorage(tenantId);
                    storage.requireRoom(plan, bytes);
                    int number = d.addVersion(bytes, clock.now());
                    DatasetVersion v = version(versionId, d, number, DatasetVersion.CLEANED, parentId, options,
                            result);
                    versions.persist(v);
                    recordUsage(v);
                    audit.record("dataset_version.created", "dataset_version", v.id, Map.of("dataset_id", d.id,
                            "parent_version_id", parentId, "number", number, "rows", v.rowCount,
                            "from", options.from()));
                    return views.version(v);
                }, view -> view);
    }

    private DatasetVersion version(String id, Dataset d, int number, String kind, String parentId,
            VersionOptions options, IngestResult r) {
        DatasetVersion v = new DatasetVersion();
        v.id = id;
        v.datasetId = d.id;
        v.number = number;
        v.kind = kind;
        v.parentVersionId = parentId;
        v.rawKey = r.raw().key();
        v.rawSha256 = r.raw().sha256();
        v.rawSizeBytes = r.raw().size();
        v.blobKey = r.version().key();
        v.blobSha256 = r.version().sha256();
        v.blobSizeBytes = r.version().size();
        v.schema = views.write(r.schema());
        v.columnTypes = views.write(r.columnTypes());
        v.validation = views.write(r.validation());
        v.cleaning = views.write(r.cleaning());
        v.profile = views.write(r.profile());
        v.splitTrain = r.splits().train();
        v.splitValidation = r.splits().validation();
        v.splitTest = r.splits().test();
        v.options = views.write(options);
        v.rowCount = r.profile().rows();
        v.rowOffsets = r.rowIndex().offsets();
        v.createdBy = context.actor().reference();
        v.createdAt = clock.now();
        return v;
    }

    /**
     * Rows ingested, once per version whatever retries happen; a hard quota they would pass refuses the version
     * (402, rolled back, and the caller deletes its blobs).
     */
    private void recordUsage(DatasetVersion v) {
        quotas.charge(Usage.of(Meter.DATASET_ROWS_INGESTED, v.rowCount, "dataset_version:" + v.id)
                .withAttributes(Map.of("dataset_id", v.datasetId, "dataset_version_id", v.id)));
    }
}
