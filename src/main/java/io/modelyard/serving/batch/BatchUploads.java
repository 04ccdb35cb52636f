package io.modelyard.serving.batch;

import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.common.AfterCommit;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.dataset.DatasetStorage;
import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.format.RecordReader;
import io.modelyard.dataset.format.RecordReaders;
import io.modelyard.serving.ModelSignature;
import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobTooLargeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files uploaded to be batch-predicted: stored as received in the blob store, read with the dataset readers (so
 * an upload parses exactly like a dataset upload), and deleted when their job ends.
 */
@ApplicationScoped
class BatchUploads {

    private static final Pattern KEY = Pattern.compile("tenants/[^/]+/batch-inputs/[^/]+/input\\.(csv|jsonl)");

    private final BlobStore blobs;
    private final AfterCommit afterCommit;

    BatchUploads(BlobStore blobs, AfterCommit afterCommit) {
        this.blobs = blobs;
        this.afterCommit = afterCommit;
    }

    /** A stored upload: where it is, how to read it, and the rows it holds. */
    record Stored(String key, DatasetFormat format, Character delimiter, long rows, long bytes, String sha256) {
    }

    /**
     * Streams {@code body} to the store (413 past the plan's upload limit, 403 past what is left of the storage
     * cap), then reads it once: the header must
     * carry the model's inputs and at least one row must follow (422 otherwise). Any refusal deletes the blob.
     */
    Stored store(String tenantId, InputStream body, DatasetFormat format, Character delimiter, PlanLimits plan,
            long storageRoom, ModelSignature signature) {
        String key = BlobKeys.of("tenants", tenantId, "batch-inputs", TypedId.generate("bpin"),
                "input." + format.id());
        BlobInfo blob;
        long limit = Math.min(plan.maxUploadBytes(), storageRoom);
        try {
            blob = blobs.put(key, body, limit);
        } catch (BlobTooLargeException e) {
            throw limit == plan.maxUploadBytes() ? DatasetStorage.uploadTooLarge(plan, -1)
                    : DatasetStorage.overQuota(plan, plan.storageCapBytes() - storageRoom);
        }
        try (RecordReader records = open(key, blob.sha256(), format, delimiter)) {
            BatchInputs.ofUpload(records.header(), signature);
            while (records.next()) {
                // counted so the quota holds exactly the rows the job will predict
            }
            if (records.records() == 0) {
                throw ProblemException.unprocessable("empty-dataset", "The file has a header but no rows to "
                        + "predict; nothing was kept.");
            }
            Character used = records instanceof CsvReader csv ? csv.delimiter() : null;
            return new Stored(key, format, used, records.records(), blob.size(), blob.sha256());
        } catch (IOException e) {
            blobs.delete(key);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            blobs.delete(key);
            throw e;
        }
    }

    /** The rows of a job's upload, as the model reads them. */
    InputRows open(BatchPredictionPayload payload, ModelSignature signature) throws IOException {
        RecordReader records = open(payload.inputBlobKey(), payload.inputSha256(), payload.inputFormat(),
                payload.inputDelimiter() == null ? null : payload.inputDelimiter().charAt(0));
        try {
            return InputRows.of(records, BatchInputs.ofUpload(records.header(), signature));
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    private RecordReader open(String key, String sha256, DatasetFormat format, Character delimiter)
            throws IOException {
        InputStream in = blobs.open(key, sha256);
        try {
            return RecordReaders.open(in, format, delimiter, ParseLimits.DEFAULTS);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Every stored input under {@code prefix} (e.g. {@code tenants/} or one tenant's). */
    List<BlobEntry> list(String prefix) {
        try (Stream<BlobEntry> entries = blobs.list(prefix)) {
            return entries.filter(e -> KEY.matcher(e.key()).matches()).toList();
        }
    }

    void delete(String key) {
        if (key != null) {
            blobs.delete(key);
        }
    }

    /** Deletes the upload once the current transaction commits (the job's end is recorded), not before. */
    void deleteAfterCommit(String key) {
        if (key == null) {
            return;
        }
        afterCommit.run(() -> blobs.delete(key));
    }
}
