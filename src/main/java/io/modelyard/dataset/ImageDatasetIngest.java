package io.modelyard.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.dataset.image.ArchiveImage;
import io.modelyard.dataset.image.ArchiveLimits;
import io.modelyard.dataset.image.ImageArchive;
import io.modelyard.dataset.image.ImageArchiveReader;
import io.modelyard.dataset.image.ImageReport;
import io.modelyard.dataset.image.ImageSplit;
import io.modelyard.dataset.image.LabelledImage;
import io.modelyard.dataset.ingest.DatasetPipeline;
import io.modelyard.dataset.ingest.IngestOptions;
import io.modelyard.dataset.ingest.IngestRequest;
import io.modelyard.dataset.ingest.IngestResult;
import io.modelyard.dataset.ingest.SourceFormat;
import io.modelyard.dataset.problem.DatasetProblem;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.dataset.split.SplitOptions;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.model.spec.TaskType;
import io.modelyard.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An image dataset's upload: the zip is spooled within the scratch budget and read entry by entry, never
 * trusting it ({@link ImageArchiveReader}); each distinct image is stored once under its SHA-256 with a
 * thumbnail, and a manifest of {@code image,label[,split]} rows — one per file — goes through the same
 * validation, cleaning, profiling and splitting as a text dataset, so an image is an id in a row from there on.
 */
@ApplicationScoped
class ImageDatasetIngest {

    static final String IMAGE_COLUMN = "image";
    static final String LABEL_COLUMN = "label";
    static final String SPLIT_COLUMN = "split";

    /** What was stored: the version as the pipeline made it, and the bytes of images, thumbnails and index. */
    record Ingested(IngestResult result, long imageBytes) {
    }

    private final DatasetPipeline pipeline;
    private final BlobStore blobs;
    private final DatasetConfig config;
    private final ObjectMapper json;

    ImageDatasetIngest(DatasetPipeline pipeline, BlobStore blobs, DatasetConfig config, ObjectMapper json) {
        this.pipeline = pipeline;
        this.blobs = blobs;
        this.config = config;
        this.json = json;
    }

    /**
     * Stores the archive's images under the dataset's prefix and its first version. A refusal throws; the caller
     * deletes the dataset's prefix then.
     *
     * @param maxUploadBytes the archive's size limit (the plan's upload limit, or less when storage is short)
     * @param room           bytes the tenant may still store
     */
    Ingested ingest(InputStream zip, String tenantId, String datasetId, String versionId, IngestOptions options,
            long maxUploadBytes, long room) throws IOException {
        ArchiveLimits limits = config.images().limits();
        Map<String, DatasetImages.IndexEntry> index = new LinkedHashMap<>();
        long[] stored = {0};
        ImageArchive archive;
        try (DatasetPipeline.Spooled spooled = pipeline.spool(zip, maxUploadBytes)) {
            archive = new ImageArchiveReader(limits).read(spooled.path(), image -> {
                if (index.containsKey(image.sha256())) {
                    return;
                }
                stored[0] += image.bytes().length + image.thumbnail().length;
                if (stored[0] > room) {
                    throw new io.modelyard.storage.BlobTooLargeException(room);
                }
                put(DatasetKeys.image(tenantId, datasetId, image.sha256()), image.bytes());
                put(DatasetKeys.thumbnail(tenantId, datasetId, image.sha256()), image.thumbnail());
                index.put(image.sha256(), entry(image));
            });
        }
        if (archive.images().isEmpty()) {
            throw DatasetProblem.EMPTY_DATASET.problem("The archive has no image that decodes ("
                    + archive.undecodable().size() + " did not); nothing was kept.");
        }
        Map<String, List<String>> files = new HashMap<>();
        archive.images().forEach(i -> files.computeIfAbsent(i.sha256(), k -> new ArrayList<>()).add(i.path()));
        index.replaceAll((sha, e) -> new DatasetImages.IndexEntry(List.copyOf(files.get(sha)), e.format(), e.mode(),
                e.width(), e.height(), e.sizeBytes()));
        byte[] indexBytes = json.writeValueAsBytes(index);
        put(DatasetKeys.imageIndex(tenantId, datasetId), indexBytes);

        boolean splitGiven = splitsGiven(archive.images());
        IngestOptions used = splitGiven ? options.withSplit(options.split().withSource(SplitOptions.Source.COLUMN))
                : options;
        ColumnMap columns = new ColumnMap(IMAGE_COLUMN, LABEL_COLUMN, null, null, splitGiven ? SPLIT_COLUMN : null,
                null);
        IngestResult result = pipeline.ingest(new ByteArrayInputStream(manifest(archive.images(), splitGiven)),
                new IngestRequest(new SourceFormat(DatasetFormat.CSV, ','), TaskType.IMAGE_CLASSIFICATION, columns,
                        used, DatasetKeys.raw(tenantId, datasetId, DatasetFormat.CSV),
                        DatasetKeys.version(tenantId, datasetId, versionId), maxUploadBytes));
        ImageReport report = ImageReport.of(archive, splitsOf(result, archive.images()));
        IngestResult reported = new IngestResult(result.raw(), result.source(), result.version(), result.schema(),
                result.columnTypes(), result.validation().withImages(report), result.cleaning(), result.profile(),
                result.splits(), result.rowIndex());
        return new Ingested(reported, stored[0] + indexBytes.length);
    }

    /**
     * The split each file ended in, read back from the version (for the report's leakage between splits). Rows
     * keep the archive's order, one per file, so the n-th file with some bytes has the n-th row with them; a file
     * whose row cleaning dropped as a duplicate counts in the split of the copy that was kept.
     */
    private Function<LabelledImage, ImageSplit> splitsOf(IngestResult result, List<LabelledImage> images)
            throws IOException {
        Map<String, List<ImageSplit>> rowsOf = new HashMap<>();
        try (VersionReader rows = VersionReader.open(blobs, result.version())) {
            while (rows.next()) {
                rowsOf.computeIfAbsent(rows.get(0), k -> new ArrayList<>()).add(switch (rows.split()) {
                    case TRAIN -> ImageSplit.TRAIN;
                    case VALIDATION -> ImageSplit.VALIDATION;
                    case TEST -> ImageSplit.TEST;
                });
            }
        }
        Map<LabelledImage, ImageSplit> splits = new IdentityHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (LabelledImage image : images) {
            List<ImageSplit> kept = rowsOf.getOrDefault(image.sha256(), List.of());
            int n = seen.merge(image.sha256(), 1, Integer::sum) - 1;
            splits.put(image, kept.isEmpty() ? null : kept.get(Math.min(n, kept.size() - 1)));
        }
        return splits::get;
    }

    /** Whether the folders or the manifest gave every image a split; refused when only some have one. */
    private static boolean splitsGiven(List<LabelledImage> images) {
        long given = images.stream().filter(i -> i.split() != null).count();
        if (given > 0 && given < images.size()) {
            LabelledImage without = images.stream().filter(i -> i.split() == null).findFirst().orElseThrow();
            throw DatasetProblem.INVALID_SPLIT_VALUE.problem(given + " of " + images.size() + " images have a split "
                    + "(a train/, validation/ or test/ folder, or the manifest's split column) and '" + without.path()
                    + "' has none; give every image one, or none to have them drawn.");
        }
        return given > 0;
    }

    /** One row per file: the same bytes under two names are two rows, which cleaning sees as duplicates. */
    private static byte[] manifest(List<LabelledImage> images, boolean withSplit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(images.size() * 80);
        CsvWriter csv = new CsvWriter(out);
        csv.row(withSplit ? List.of(IMAGE_COLUMN, LABEL_COLUMN, SPLIT_COLUMN) : List.of(IMAGE_COLUMN, LABEL_COLUMN));
        for (LabelledImage image : images) {
            csv.row(withSplit ? List.of(image.sha256(), image.label(), image.split().id())
                    : List.of(image.sha256(), image.label()));
        }
        csv.flush();
        return out.toByteArray();
    }

    private static DatasetImages.IndexEntry entry(ArchiveImage image) {
        return new DatasetImages.IndexEntry(List.of(image.path()), image.format().id(), image.mode().id(),
                image.width(), image.height(), image.bytes().length);
    }

    private void put(String key, byte[] bytes) {
        blobs.put(key, new ByteArrayInputStream(bytes), bytes.length);
    }
}
