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

    /** Whether {@code key} is a dataset blob ({@code tenants/<t>/datasets/...}). */
    static boolean isDatasetKey(String key) {
        String[] parts = key.split("/", 4);
        return parts.length == 4 && parts[0].equals("tenants") && parts[2].equals("datasets");
    }
}
