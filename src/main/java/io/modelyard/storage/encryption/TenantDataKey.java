package io.modelyard.storage.encryption;

import com.google.crypto.tink.StreamingAead;

/** A tenant's unwrapped data key, ready to encrypt and decrypt its blobs. Lives in memory only. */
record TenantDataKey(String tenantId, long keyId, StreamingAead aead) {
}
