package io.modelyard.dataset;

import io.modelyard.dataset.format.DatasetFormat;
import io.modelyard.storage.BlobKeys;

/**
 * Where a dataset's blobs live: everything of one dataset under {@code tenants/<t>/datasets/<ds>/}, so
 * deleting it is one prefix delete and the sweeper can tell dataset blobs from other tenants' blobs.
 */
final class DatasetKeys {

    static final String SEGMENT = "/datasets/";

    private DatasetKeys() {
    }

    static String dataset(String tenantId, String datasetId) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId) + "/";
    }

    static String raw(String tenantId, String datasetId, DatasetFormat format) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId, "raw." + format.id());
    }

    static String version(String tenantId, String datasetId, String versionId) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId, versionId, "data.csv");
    }

    /** An image of an image dataset, named by its SHA-256 (so versions share it and duplicates are stored once). */
    static String image(String tenantId, String datasetId, String sha256) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId, "images", sha256);
    }

    /** The small JPEG the portal's gallery shows for an image. */
    static String thumbnail(String tenantId, String datasetId, String sha256) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId, "thumbnails", sha256 + ".jpg");
    }

    /** What the upload found of each image (file names, sizes, modes), by image id. */
    static String imageIndex(String tenantId, String datasetId) {
        return BlobKeys.of("tenants", tenantId, "datasets", datasetId, "images.json");
    }

    /**
     * The dataset whose versions share {@code key} (its images, thumbnails, image index), or null for a key of
     * one version or upload.
     */
    static String datasetOfSharedKey(String key) {
        String[] parts = key.split("/");
        if (parts.length < 5 || !parts[0].equals("tenants") || !parts[2].equals("datasets")) {
            return null;
        }
        boolean shared = parts.length == 5 && parts[4].equals("images.json")
                || parts.length == 6 && (parts[4].equals("images") || parts[4].equals("thumbnails"));
        return shared ? parts[3] : null;
    }

    /** Whether {@code key} is a dataset blob ({@code tenants/<t>/datasets/...}). */
    static boolean isDatasetKey(String key) {
        String[] parts = key.split("/", 4);
        return parts.length == 4 && parts[0].equals("tenants") && parts[2].equals("datasets");
    }
}
