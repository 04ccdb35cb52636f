package io.modelyard.serving.batch;

import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.common.AfterCommit;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.dataset.DatasetConfig;
import io.modelyard.dataset.DatasetStorage;
import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.format.ParseLimits;
import io.modelyard.dataset.format.RecordReader;
import io.modelyard.dataset.format.RecordReaders;
import io.modelyard.dataset.image.ArchiveImage;
import io.modelyard.dataset.image.ArchiveImageSink;
import io.modelyard.dataset.image.ArchiveLimits;
import io.modelyard.dataset.image.ImageArchiveReader;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.serving.ModelSignature;
import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.storage.BlobWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files uploaded to be batch-predicted: stored as received in the blob store, read with the dataset readers (so
 * an upload parses exactly like a dataset upload), and deleted when their job ends. A zip of images is read once,
 * never trusting it, by the reader image datasets use, and its images are stored as an {@link ImageBatchFile}.
 */
@ApplicationScoped
class BatchUploads {

    private static final String IMAGES = "images";
    private static final Pattern KEY = Pattern.compile(
            "tenants/[^/]+/batch-inputs/[^/]+/input\\.(csv|jsonl|" + IMAGES + ")");
    /** Records of a stored image file are bounded only by what an array holds: the file is ours, digest-checked. */
    private static final int MAX_STORED_IMAGE_BYTES = Integer.MAX_VALUE - 8;

    private final BlobStore blobs;
    private final AfterCommit afterCommit;
    private final DatasetPipeline pipeline;
    private final ArchiveLimits archiveLimits;

    BatchUploads(BlobStore blobs, AfterCommit afterCommit, DatasetPipeline pipeline, DatasetConfig datasets) {
        this.blobs = blobs;
        this.afterCommit = afterCommit;
        this.pipeline = pipeline;
        this.archiveLimits = datasets.images().limits();
    }

    /**
     * A stored upload: where it is, how to read it, and the rows it holds.
     *
     * @param images the images of a zip, stored as an {@link ImageBatchFile} (no {@code format})
     */
    record Stored(String key, DatasetFormat format, Character delimiter, long rows, long bytes, String sha256,
            boolean images) {
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
            return new Stored(key, format, used, records.records(), blob.size(), blob.sha256(), false);
        } catch (IOException e) {
            blobs.delete(key);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            blobs.delete(key);
            throw e;
        }
    }

    /**
     * Reads an uploaded zip of images as an image dataset's upload is read (the same refusals: paths leaving the
     * archive, links, encryption, nesting, entry count, sizes, ratios, pixels, files that are not images), but
     * needing no label: every image file, in any folder, is one row, and a {@code labels.csv} is skipped. The zip
     * is spooled to the scratch space within the plan's upload limit (413), its images are streamed into one
     * blob within {@code storageRoom} (403). A file that starts like an image but does not decode is 422
     * {@code undecodable-image}, naming it: found now, it would otherwise queue a job that fails at its row. No
     * image at all is 422 {@code empty-dataset}. Any refusal keeps neither the spooled zip nor the blob.
     */
    Stored storeImages(String tenantId, InputStream body, PlanLimits plan, long storageRoom) {
        String key = BlobKeys.of("tenants", tenantId, "batch-inputs", TypedId.generate("bpin"), "input." + IMAGES);
        DatasetPipeline.Spooled zip;
        try {
            zip = pipeline.spool(body, plan.maxUploadBytes());
        } catch (BlobTooLargeException e) {
            throw DatasetStorage.uploadTooLarge(plan, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (zip; BlobWriter blob = blobs.openWriter(key, storageRoom)) {
            BufferedOutputStream out = new BufferedOutputStream(blob, 1 << 16);
            ImageBatchFile.Writer images = new ImageBatchFile.Writer(out);
            new ImageArchiveReader(archiveLimits).readUnlabelled(zip.path(), new ArchiveImageSink() {
                @Override
                public void accept(ArchiveImage image) throws IOException {
                    images.write(image.path(), image.sha256(), image.bytes());
                }

                @Override
                public void undecodable(String path, byte[] bytes) {
                    throw DatasetProblem.UNDECODABLE_IMAGE.inEntry(path, "The image '" + path + "' cannot be"
                            + " decoded (damaged or truncated); nothing was kept. Replace or remove it, then upload"
                            + " the archive again.");
                }
            });
            if (images.records() == 0) {
                throw ProblemException.unprocessable("empty-dataset", "The archive holds no image to predict; "
                        + "nothing was kept.");
            }
            out.flush();
            BlobInfo stored = blob.commit();
            return new Stored(key, null, null, images.records(), stored.size(), stored.sha256(), true);
        } catch (BlobTooLargeException e) {
            throw DatasetStorage.overQuota(plan, plan.storageCapBytes() - storageRoom);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a job's upload, as the model reads them. */
    InputRows open(BatchPredictionPayload payload, ModelSignature signature) throws IOException {
        if (payload.imageArchive()) {
            InputStream in = blobs.open(payload.inputBlobKey(), payload.inputSha256());
            try {
                return InputRows.of(new ImageBatchFile.Reader(in, MAX_STORED_IMAGE_BYTES));
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }
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
