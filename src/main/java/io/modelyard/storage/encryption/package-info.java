/**
 * Encryption at rest of tenants' blobs (README "Encryption at rest"): {@link
 * io.modelyard.storage.encryption.EncryptingBlobStore} encrypts them with per-tenant data keys ({@link
 * io.modelyard.storage.encryption.TenantDataKeys}, table {@code tenant_data_keys}) that a {@link
 * io.modelyard.storage.encryption.MasterKey} wraps; {@link io.modelyard.storage.encryption.MasterKeyRotation}
 * re-wraps them under a new master key and {@link io.modelyard.storage.encryption.TenantDataKeys#destroy} shreds a
 * tenant's data.
 */
package io.modelyard.storage.encryption;
