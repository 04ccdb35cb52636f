package io.modelyard.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.version.RowPage;
import io.modelyard.dataset.version.VersionRow;
import io.modelyard.image.ImageFormat;
import io.modelyard.storage.BlobNotFoundException;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The images of an image dataset: stored once per dataset under their SHA-256 (the id a version's rows hold),
 * with a thumbnail each and an index of what the upload found of them. Read by training and by the gallery.
 */
@ApplicationScoped
public class DatasetImages {

    private static final Pattern IMAGE_ID = Pattern.compile("[0-9a-f]{64}");

    /** What the upload found of one image: the archive's files with these bytes, and the decoded picture. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IndexEntry(List<String> files, String format, String mode, int width, int height,
            long sizeBytes) {
    }

    /** One image of a version, as the gallery lists it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ImageView(String object, String id, long index, String label, String split, List<String> files,
            String format, String mode, int width, int height, long sizeBytes, String url, String thumbnailUrl) {
    }

    /** A page of a version's images, offset-paged like its rows. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ImagesPage(String object, List<ImageView> data, long offset, int limit, boolean hasMore,
            Long nextOffset) {
    }

    /** An image's bytes and media type. */
    public record ImageFile(byte[] bytes, String mediaType) {
    }

    private final DatasetVersions versions;
    private final DatasetVersionRepository versionRows;
    private final DatasetRepository datasetRows;
    private final BlobStore blobs;
    private final TenantContext context;
    private final ObjectMapper json;

    DatasetImages(DatasetVersions versions, DatasetVersionRepository versionRows, DatasetRepository datasetRows,
            BlobStore blobs, TenantContext context, ObjectMapper json) {
        this.versions = versions;
        this.versionRows = versionRows;
        this.datasetRows = datasetRows;
        this.blobs = blobs;
        this.context = context;
        this.json = json;
    }

    /** An image of the current tenant's dataset, by the id its rows hold (for training; digest verified). */
    public byte[] read(String datasetId, String imageId) throws IOException {
        String key = DatasetKeys.image(context.requireTenant(), datasetId, checkedId(imageId));
        try (InputStream in = blobs.open(key, imageId)) {
            return in.readAllBytes();
        }
    }

    /**
     * For each image of the current tenant's dataset, the first file the upload held it under (for batch
     * predictions, which name each row's file); an image whose index lists no file is left out.
     */
    public Map<String, String> firstFileNames(String datasetId) throws IOException {
        Map<String, String> first = new java.util.HashMap<>();
        index(datasetId).forEach((id, entry) -> {
            if (entry.files() != null && !entry.files().isEmpty()) {
                first.put(id, entry.files().get(0));
            }
        });
        return first;
    }

    /** A page of a version's images with their labels and splits; 404 for a foreign or non-image version. */
    public ImagesPage page(String versionId, long offset, int limit) throws IOException {
        RowPage rows = versions.rows(versionId, offset, limit);
        DatasetVersion version = imageVersion(versionId);
        Map<String, IndexEntry> index = index(version.datasetId);
        List<ImageView> data = new ArrayList<>(rows.rows().size());
        for (VersionRow row : rows.rows()) {
            String id = row.values().get(0);
            IndexEntry entry = index.get(id);
            String url = "/v1/dataset-versions/" + versionId + "/images/" + id;
            data.add(new ImageView("dataset_image", id, row.index(), row.values().get(1), row.split().id(),
                    entry == null ? List.of() : entry.files(), entry == null ? null : entry.format(),
                    entry == null ? null : entry.mode(), entry == null ? 0 : entry.width(),
                    entry == null ? 0 : entry.height(), entry == null ? 0 : entry.sizeBytes(), url,
                    url + "/thumbnail"));
        }
        return new ImagesPage("list", data, rows.offset(), rows.limit(), rows.hasMore(),
                rows.hasMore() ? rows.offset() + data.size() : null);
    }

    /**
     * An image of a version's dataset as uploaded; 404 for an id that is not one of its images. Only the image's
     * own blob is read (the gallery asks for dozens at a time): it exists under the dataset's prefix exactly
     * when the dataset holds the image.
     */
    public ImageFile image(String versionId, String imageId) throws IOException {
        DatasetVersion version = imageVersion(versionId);
        byte[] bytes = stored(DatasetKeys.image(context.requireTenant(), version.datasetId, checkedId(imageId)),
                imageId, imageId);
        String format = ImageFormat.sniff(bytes).map(ImageFormat::id).orElse("octet-stream");
        return new ImageFile(bytes, format.equals("octet-stream") ? "application/octet-stream" : "image/" + format);
    }

    /** The image's thumbnail (JPEG, longest side 96 px); 404 as for the image. */
    public ImageFile thumbnail(String versionId, String imageId) throws IOException {
        DatasetVersion version = imageVersion(versionId);
        return new ImageFile(stored(DatasetKeys.thumbnail(context.requireTenant(), version.datasetId,
                checkedId(imageId)), null, imageId), "image/jpeg");
    }

    private byte[] stored(String key, String sha256, String imageId) throws IOException {
        try (InputStream in = blobs.open(key, sha256)) {
            return in.readAllBytes();
        } catch (BlobNotFoundException e) {
            throw ProblemException.notFound("image", imageId);
        }
    }

    private DatasetVersion imageVersion(String versionId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            context.require(Permission.READ);
            DatasetVersion v = versionRows.findVersion(versionId)
                    .orElseThrow(() -> ProblemException.notFound("dataset version", versionId));
            Dataset d = datasetRows.findDataset(v.datasetId)
                    .orElseThrow(() -> ProblemException.notFound("dataset version", versionId));
            if (!d.task.isImage()) {
                throw ProblemException.badRequest("not-an-image-dataset", "Dataset version " + versionId
                        + " is not an image dataset; read its rows instead.");
            }
            return v;
        });
    }

    /**
     * The images the current tenant's dataset stores, by id, with what the upload found of each (for an export;
     * the caller has read the dataset, so it is the tenant's). Empty for a dataset that holds no images.
     */
    public Map<String, IndexEntry> stored(String datasetId) throws IOException {
        try {
            return index(datasetId);
        } catch (BlobNotFoundException e) {
            return Map.of();
        }
    }

    /** A stored image of the current tenant's dataset, as uploaded; reading it to the end verifies its digest. */
    public InputStream open(String datasetId, String imageId) throws IOException {
        return blobs.open(DatasetKeys.image(context.requireTenant(), datasetId, checkedId(imageId)), imageId);
    }

    private Map<String, IndexEntry> index(String datasetId) throws IOException {
        try (InputStream in = blobs.open(DatasetKeys.imageIndex(context.requireTenant(), datasetId), null)) {
            return json.readValue(in, new TypeReference<Map<String, IndexEntry>>() {
            });
        }
    }

    private static String checkedId(String imageId) {
        if (imageId == null || !IMAGE_ID.matcher(imageId).matches()) {
            throw ProblemException.notFound("image", String.valueOf(imageId));
        }
        return imageId;
    }
}
