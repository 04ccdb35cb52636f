package io.modelyard.export;

import io.modelyard.storage.BlobKeys;

/** Where export archives live in the blob store: named after the export, so a repeated run overwrites. */
final class ExportKeys {

    private ExportKeys() {
    }

    static String archive(String tenantId, String exportId) {
        return BlobKeys.of("tenants", tenantId, "exports", exportId + ".zip");
    }
}
