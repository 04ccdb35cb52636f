package io.modelyard.export;

import java.time.Instant;

/**
 * An export as clients see it. Follow its progress with {@code GET /v1/jobs/{job_id}} and its events.
 *
 * @param state      {@code queued}, {@code running}, {@code succeeded}, {@code failed} (as its job), then
 *                   {@code expired} once the archive was deleted after {@code modelyard.exports.retention}
 * @param sizeBytes  the archive's size, once written
 * @param sha256     the archive's SHA-256 (hex), once written
 * @param fileCount  files in the archive, {@code manifest.json} included
 * @param expiresAt  when the archive will be deleted, once written
 */
public record TenantExportView(String id, String object, String state, String jobId, Long sizeBytes,
        String sha256, Integer fileCount, String createdBy, Instant createdAt, Instant finishedAt,
        Instant expiresAt) {

    static TenantExportView of(TenantExport e) {
        return new TenantExportView(e.id, "tenant_export", e.state.name().toLowerCase(java.util.Locale.ROOT),
                e.jobId, e.sizeBytes, e.sha256, e.fileCount, e.createdBy, e.createdAt, e.finishedAt, e.expiresAt);
    }
}
