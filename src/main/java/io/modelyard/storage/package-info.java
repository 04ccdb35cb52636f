/**
 * Blob storage behind one interface, {@link io.modelyard.storage.BlobStore}: raw uploads, processed dataset
 * versions, checkpoints, model artifacts.
 *
 * <p>Contract: writes stream through a {@link io.modelyard.storage.BlobWriter} that computes SHA-256 and size
 * on the way and publishes only on commit; a write that fails, is closed uncommitted or passes its byte limit
 * ({@link io.modelyard.storage.BlobTooLargeException}, a 413 problem) leaves nothing. Callers record the
 * returned {@link io.modelyard.storage.BlobInfo} and pass the digest back to
 * {@link io.modelyard.storage.BlobStore#open}, which throws {@link io.modelyard.storage.BlobIntegrityException}
 * at the end of the stream if the content changed. {@link io.modelyard.storage.OrphanSweeper} removes blobs
 * no row references after a grace period, and the leftovers of writes whose process died.
 *
 * <p>Encryption at rest: the store the application gets is an
 * {@link io.modelyard.storage.encryption.EncryptingBlobStore} over the configured one, which encrypts every blob under
 * {@code tenants/<tenant id>/} with that tenant's data key; sizes and digests stay the plaintext's.
 *
 * <p>Keys: {@code tenants/<tenant id>/datasets/<dataset id>/...}, so deleting a dataset is one
 * {@code deleteByPrefix}; see {@link io.modelyard.storage.BlobKeys} for the allowed characters.
 *
 * <p>Settings ({@link io.modelyard.storage.StorageConfig}):
 * <table>
 * <caption>modelyard.storage</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code modelyard.storage.type}</td><td>{@code filesystem}</td><td>{@code filesystem} or {@code s3}</td></tr>
 * <tr><td>{@code modelyard.storage.dir}</td><td>{@code data/blobs}</td><td>root of the filesystem store</td></tr>
 * <tr><td>{@code modelyard.storage.fsync}</td><td>{@code true}</td><td>flush each blob to disk before it becomes
 * visible (filesystem)</td></tr>
 * <tr><td>{@code modelyard.storage.s3.bucket}</td><td>(none)</td><td>required for {@code s3}</td></tr>
 * <tr><td>{@code modelyard.storage.s3.endpoint}</td><td>(AWS)</td><td>MinIO, s3proxy or another S3-compatible
 * store</td></tr>
 * <tr><td>{@code modelyard.storage.s3.region}</td><td>{@code us-east-1}</td><td>signing region</td></tr>
 * <tr><td>{@code modelyard.storage.s3.path-style}</td><td>{@code false}</td><td>{@code endpoint/bucket/key}
 * URLs (MinIO, s3proxy)</td></tr>
 * <tr><td>{@code modelyard.storage.s3.part-size}</td><td>{@code 8388608}</td><td>bytes buffered per multipart
 * part (at least 5 MiB): the memory one streaming write holds</td></tr>
 * </table>
 * S3 credentials come from the AWS SDK's default chain (environment, profile, web identity / IRSA).
 */
package io.modelyard.storage;
