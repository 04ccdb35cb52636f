package io.modelyard.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.dataset.DatasetRequests.CleanVersion;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.ingest.CleanRequest;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.IngestOptions;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.dataset.ingest.SourceFormat;
import io.modelyard.dataset.profile.ColumnType;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.schema.ColumnRole;
import io.modelyard.dataset.split.SplitCounts;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.dataset.version.CanonicalFormat;
import io.modelyard.dataset.version.RowPage;
import io.modelyard.dataset.version.VersionExporter;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versions of the tenant's datasets: read them (reports, rows, downloads), make new ones with other cleaning
 * options, and load one for training. Versions are immutable; everything refers to one by id.
 */
@ApplicationScoped
public class DatasetVersions {

    private final DatasetService datasets;
    private final DatasetVersionRepository versions;
    private final DatasetRecorder recorder;
    private final DatasetViews views;
    private final DatasetPipeline pipeline;
    private final DatasetConfig config;
    private final BlobStore blobs;
    private final TenantContext context;

    DatasetVersions(DatasetService datasets, DatasetVersionRepository versions, DatasetRecorder recorder,
            DatasetViews views, DatasetPipeline pipeline, DatasetConfig config, BlobStore blobs,
            TenantContext context) {
        this.datasets = datasets;
        this.versions = versions;
        this.recorder = recorder;
        this.views = views;
        this.pipeline = pipeline;
        this.config = config;
        this.blobs = blobs;
        this.context = context;
    }

    @Transactional
    public Page<DatasetVersionView> list(String datasetId, PageRequest page) {
        context.require(Permission.READ);
        datasets.find(datasetId);
        return Page.of(versions.page(datasetId, page), page, v -> v.id, views::version);
    }

    @Transactional
    public DatasetVersionView get(String versionId) {
        context.require(Permission.READ);
        return views.version(find(versionId));
    }

    /**
     * A version to train on, of the current tenant. 404 for an unknown or foreign id. The caller reads its rows
     * with {@link #openRows(TrainingDataset)}.
     */
    @Transactional
    public TrainingDataset forTraining(String versionId) {
        context.requireTenant();
        DatasetVersion v = find(versionId);
        // Training, tuning and batch jobs are created in the transaction that reads this: the dataset cannot be
        // deleted between the read and the job's commit.
        datasets.holdAgainstDeletion(v.datasetId);
        JsonNode schema = views.read(v.schema);
        JsonNode types = views.read(v.columnTypes);
        TaskType task = TaskType.fromWire(schema.path("task").asText());
        List<TrainingDataset.Column> inputs = new ArrayList<>();
        TrainingDataset.Column output = null;
        JsonNode columns = schema.path("columns");
        for (int i = 0; i < columns.size(); i++) {
            ColumnRole role = ColumnRole.valueOf(upper(columns.get(i).path("role").asText()));
            ColumnType type = ColumnType.valueOf(upper(types.path(i).asText("text")));
            TrainingDataset.Column column = new TrainingDataset.Column(columns.get(i).path("name").asText(), role,
                    type, i);
            if (role.isOutput()) {
                output = column;
            } else {
                inputs.add(column);
            }
        }
        List<String> labels = new ArrayList<>();
        if (task.isClassification()) {
            views.read(v.profile).path("labels").path("labels").forEach(l -> labels.add(l.path("label").asText()));
            labels.sort(null);
        }
        return new TrainingDataset(v.id, v.datasetId, task, List.copyOf(inputs), output, List.copyOf(labels),
                new SplitCounts(v.splitTrain, v.splitValidation, v.splitTest), v.rowCount, v.blob());
    }

    /**
     * The rows of a version with their splits, streamed from the blob store; reading to the end verifies the
     * SHA-256 recorded when it was written. Needs no transaction; close it.
     */
    public VersionReader openRows(TrainingDataset dataset) {
        return VersionReader.open(blobs, dataset.version());
    }

    /**
     * Rows {@code offset..offset+limit-1} of a version, read from the nearest indexed row before {@code offset}
     * (every 10,000th row's place is recorded), so a deep page costs about what a first page does.
     */
    public RowPage rows(String versionId, long offset, int limit) throws IOException {
        if (offset < 0) {
            throw ProblemException.invalidField("offset", "must be 0 or more");
        }
        if (limit < 1 || limit > config.maxRowsPerPage()) {
            throw ProblemException.invalidField("limit", "must be between 1 and " + config.maxRowsPerPage());
        }
        DatasetVersion version = QuarkusTransaction.requiringNew().call(() -> {
            context.require(Permission.READ);
            return find(versionId);
        });
        return VersionReader.page(blobs, version.blob(), version.rowIndex(), offset, limit);
    }

    /**
     * Where a version's files are stored: its processed rows (canonical CSV, {@link CanonicalFormat}) and the
     * upload it was made from, as received. For copying them byte for byte (a tenant's data export); read them
     * from the blob store with their SHA-256.
     */
    public record StoredFiles(BlobInfo rows, BlobInfo upload) {
    }

    /** The stored files of a version of the current tenant; 404 for an unknown or foreign id. */
    @Transactional
    public StoredFiles storedFiles(String versionId) {
        context.require(Permission.READ);
        DatasetVersion v = find(versionId);
        return new StoredFiles(v.blob(), v.raw());
    }

    /** What a download streams: the version's rows, their column types, and a file name. */
    public record Download(BlobInfo blob, List<ColumnType> types, String filename) {
    }

    @Transactional
    public Download download(String versionId) {
        context.require(Permission.READ);
        DatasetVersion v = find(versionId);
        Dataset d = datasets.find(v.datasetId);
        List<ColumnType> types = new ArrayList<>();
        views.read(v.columnTypes).forEach(t -> types.add(ColumnType.valueOf(upper(t.asText()))));
        String base = d.name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return new Download(v.blob(), types, (base.isEmpty() ? d.id : base) + "-v" + v.number);
    }

    /** Opens a download's rows; the caller streams and closes them. */
    public VersionReader open(Download download) {
        return VersionReader.open(blobs, download.blob());
    }

    /** A version's rows as a file: how to write it, its media type and its file name. */
    public record Export(RowsWriter rows, String mediaType, String filename) {
    }

    /** Writes an export to a stream (the HTTP response's), reading the rows as it goes. */
    @FunctionalInterface
    public interface RowsWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A download of a version as {@code csv} (formula-like cells escaped, plain numbers kept) or {@code jsonl}.
     *
     * @throws ProblemException 400 for another format, 404 for a version that is not the tenant's
     */
    public Export export(String versionId, String format, boolean includeSplit) {
        boolean csv = switch (format) {
            case "csv" -> true;
            case "jsonl" -> false;
            default -> throw ProblemException.invalidField("format", "must be csv or jsonl");
        };
        Download download = download(versionId);
        RowsWriter rows = out -> {
            try (VersionReader reader = open(download)) {
                if (csv) {
                    VersionExporter.csv(reader, out, includeSplit, CsvWriter.FormulaEscaping.NON_NUMERIC);
                } else {
                    VersionExporter.jsonl(reader, download.types(), out, includeSplit);
                }
            }
        };
        return new Export(rows, csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                download.filename() + (csv ? ".csv" : ".jsonl"));
    }

    /**
     * A new version cleaned with other options from the dataset's raw upload (or from this version's rows), the
     * source unchanged. Recorded with its usage and audit record; idempotent on {@code idempotencyKey}.
     */
    public Idempotency.Outcome<DatasetVersionView> clean(String versionId, CleanVersion request,
            String idempotencyKey) throws IOException {
        String tenantId = context.require(Permission.DATASETS_WRITE);
        CleanVersion r = request == null ? new CleanVersion(null, null, null, null) : request;
        Source source = source(versionId);
        boolean fromVersion = "version".equals(r.from());
        if (r.from() != null && !fromVersion && !"upload".equals(r.from())) {
            throw OptionsResolver.invalid("from", "must be upload or version");
        }
        DatasetService.Admission admission = datasets.admit(-1);
        IngestOptions base = datasets.processingOptions(admission.room());
        VersionOptions parent = source.options();
        ColumnMap columns;
        SplitOptions split;
        CleanRequest clean;
        String newId = TypedId.generate("dsv");
        String key = DatasetKeys.version(tenantId, source.version().datasetId, newId);
        if (fromVersion) {
            columns = r.columnMap() != null ? r.columnMap().withSplit(CanonicalFormat.SPLIT_COLUMN)
                    : processedColumns(source.version());
            split = r.split() == null ? parent.split().withSource(SplitOptions.Source.COLUMN)
                    : OptionsResolver.split(parent.split().withSource(SplitOptions.Source.DRAW), r.split());
        } else {
            columns = r.columnMap() != null ? r.columnMap() : parent.columnMap();
            split = OptionsResolver.split(parent.split(), r.split());
        }
        IngestOptions options = base.withCleaning(OptionsResolver.cleaning(parent.cleaning(), r.cleaning()))
                .withSplit(split);
        TaskType task = source.dataset().task;
        BlobInfo from = fromVersion ? source.version().blob() : source.version().raw();
        SourceFormat format = fromVersion ? new SourceFormat(DatasetFormat.CSV, ',') : sourceFormat(source.dataset());
        clean = new CleanRequest(from, format, task, columns, options, key);
        IngestResult result;
        try {
            result = pipeline.clean(clean);
        } catch (BlobTooLargeException e) {
            throw DatasetStorage.overQuota(admission.plan(), admission.storedBytes());
        }
        VersionOptions used = new VersionOptions(fromVersion ? "version" : "upload", columns, options.cleaning(),
                options.split(), options.limits());
        Map<String, Object> fingerprint = new LinkedHashMap<>();
        fingerprint.put("version_id", versionId);
        fingerprint.put("request", r);
        PlanLimits plan = admission.plan();
        try {
            Idempotency.Outcome<DatasetVersionView> outcome = recorder.recordClean(source.version().datasetId,
                    versionId, newId, used, result, plan, idempotencyKey, fingerprint);
            if (outcome.replayed()) {
                datasets.deleteQuietly(key);
            }
            return outcome;
        } catch (RuntimeException e) {
            datasets.deleteQuietly(key);
            throw e;
        }
    }

    private record Source(Dataset dataset, DatasetVersion version, VersionOptions options) {
    }

    private Source source(String versionId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            DatasetVersion v = find(versionId);
            Dataset d = datasets.find(v.datasetId);
            return new Source(d, v, views.read(v.options, VersionOptions.class));
        });
    }

    private SourceFormat sourceFormat(Dataset d) {
        JsonNode source = views.read(d.sourceFormat);
        DatasetFormat format = "jsonl".equals(source.path("format").asText()) ? DatasetFormat.JSONL : DatasetFormat.CSV;
        String delimiter = source.path("delimiter").asText("");
        return new SourceFormat(format, delimiter.isEmpty() ? null : delimiter.charAt(0));
    }

    /** The column map that reads a processed version: its columns by role, and its split column. */
    private ColumnMap processedColumns(DatasetVersion v) {
        JsonNode columns = views.read(v.schema).path("columns");
        String text = null;
        String label = null;
        String target = null;
        List<String> features = new ArrayList<>();
        for (JsonNode c : columns) {
            String name = c.path("name").asText();
            switch (c.path("role").asText()) {
                case "text" -> text = name;
                case "label" -> label = name;
                case "target" -> target = name;
                default -> features.add(name);
            }
        }
        return new ColumnMap(text, label, features.isEmpty() ? null : features, target, CanonicalFormat.SPLIT_COLUMN,
                null);
    }

    private static String upper(String wireName) {
        return wireName.toUpperCase(java.util.Locale.ROOT);
    }

    private DatasetVersion find(String id) {
        return versions.findVersion(id).orElseThrow(() -> ProblemException.notFound("dataset version", id));
    }
}
