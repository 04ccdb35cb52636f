package io.modelyard.dataset.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.dataset.version.VersionRow;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.FileSystemBlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A pipeline over a filesystem store in a temporary directory, with helpers to read what it stored. */
final class PipelineFixture {

    static final String RAW = "tenants/ten_t/datasets/ds_1/raw.csv";
    static final String VERSION = "tenants/ten_t/datasets/ds_1/dsv_1/data.csv";

    final FileSystemBlobStore store;
    final Path work;
    final DatasetPipeline pipeline;

    PipelineFixture(Path dir) throws IOException {
        this.store = new FileSystemBlobStore(dir.resolve("blobs"), false);
        this.work = Files.createDirectories(dir.resolve("work"));
        this.pipeline = new DatasetPipeline(store, work);
    }

    IngestResult text(String csv) throws IOException {
        return ingest(csv, TaskType.TEXT_CLASSIFICATION, null, IngestOptions.DEFAULTS);
    }

    IngestResult ingest(String csv, TaskType task, ColumnMap columns, IngestOptions options) throws IOException {
        return ingest(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), SourceFormat.csv(), task,
                columns, options, Long.MAX_VALUE);
    }

    IngestResult ingest(InputStream upload, SourceFormat source, TaskType task, ColumnMap columns,
            IngestOptions options, long maxBytes) throws IOException {
        return pipeline.ingest(upload, new IngestRequest(source, task, columns, options, RAW, VERSION, maxBytes));
    }

    /** Every row of a stored version. */
    List<VersionRow> rows(BlobInfo version) throws IOException {
        List<VersionRow> rows = new ArrayList<>();
        try (VersionReader reader = VersionReader.open(store, version)) {
            while (reader.next()) {
                rows.add(reader.row());
            }
        }
        return rows;
    }

    /** One column of every row of a version. */
    List<String> column(BlobInfo version, int column) throws IOException {
        return rows(version).stream().map(r -> r.values().get(column)).collect(Collectors.toList());
    }

    String content(BlobInfo blob) throws IOException {
        try (InputStream in = store.open(blob.key(), blob.sha256())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A refused upload leaves no blob, no temporary blob file and no candidate file behind. */
    void assertNothingStored() throws IOException {
        try (Stream<BlobEntry> blobs = store.list("")) {
            assertEquals(List.of(), blobs.map(BlobEntry::key).toList(), "blobs left behind");
        }
        try (Stream<Path> tmp = Files.list(store.root().resolve(".tmp")); Stream<Path> candidates = Files.list(work)) {
            assertEquals(0, tmp.count(), "temporary blob files left behind");
            assertEquals(0, candidates.count(), "candidate files left behind");
        }
    }
}
