package io.modelyard.serving.batch;

import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where batch results live in the blob store: one file per job, under the job's own prefix (next to a training
 * job's checkpoints), named from the job id so that a repeated run overwrites rather than adds.
 */
@ApplicationScoped
class BatchResults {

    private static final Pattern KEY = Pattern.compile("tenants/([^/]+)/jobs/(job_[^/]+)/predictions\\.(csv|jsonl)");

    private final BlobStore blobs;
    private final BatchConfig config;

    BatchResults(BlobStore blobs, BatchConfig config) {
        this.blobs = blobs;
        this.config = config;
    }

    /** What a download streams. */
    record Download(String key, String sha256, long size, ResultFormat format, String filename) {
    }

    static String key(String tenantId, String jobId, ResultFormat format) {
        return BlobKeys.of("tenants", tenantId, "jobs", jobId, "predictions." + format.wireName());
    }

    /** Stores the finished file; the caller deletes it again if recording the job's success fails. */
    BlobInfo store(String tenantId, String jobId, ResultFormat format, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return blobs.put(key(tenantId, jobId, format), in, config.maxResultSize().asLongValue());
        }
    }

    void delete(String tenantId, String jobId, ResultFormat format) {
        blobs.delete(key(tenantId, jobId, format));
    }

    Download download(String tenantId, String jobId, BatchPredictionView.Result result) {
        return new Download(key(tenantId, jobId, result.format()), result.resultSha256(), result.resultBytes(),
                result.format(), jobId + "-predictions." + result.format().wireName());
    }

    boolean exists(Download download) {
        return blobs.exists(download.key());
    }

    /** A stored result file, found by listing the store. */
    record Stored(String tenantId, String jobId, BlobEntry blob) {
    }

    /** Every result file under {@code prefix} (e.g. {@code tenants/} or one tenant's). */
    List<Stored> list(String prefix) {
        try (Stream<BlobEntry> entries = blobs.list(prefix)) {
            return entries.map(entry -> {
                Matcher m = KEY.matcher(entry.key());
                return m.matches() ? new Stored(m.group(1), m.group(2), entry) : null;
            }).filter(Objects::nonNull).toList();
        }
    }

    void delete(Stored stored) {
        blobs.delete(stored.blob().key());
    }

    /** Opens a download; reading to the end verifies its SHA-256. */
    InputStream open(Download download) {
        return blobs.open(download.key(), download.sha256());
    }
}
