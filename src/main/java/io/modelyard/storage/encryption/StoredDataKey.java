package io.modelyard.storage.encryption;

import java.time.Instant;

/** A row of {@code tenant_data_keys}: the wrapped key, or only the marker that it was destroyed. */
record StoredDataKey(String tenantId, long keyId, byte[] wrappedKey, String masterKeyId, Instant destroyedAt) {

    boolean destroyed() {
        return destroyedAt != null;
    }
}
