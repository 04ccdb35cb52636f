package io.modelyard.export;

import io.modelyard.storage.BlobInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.TenantId;

/**
 * One export of a tenant's data: the job that writes it, and the archive once written. The archive's key is
 * derived from the export id, so a repeated run of the job overwrites it instead of leaving a second one.
 */
@Entity
@Table(name = "tenant_exports")
class TenantExport {

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    ExportState state;

    @Column(name = "job_id")
    String jobId;

    @Column(name = "blob_key")
    String blobKey;

    @Column(name = "size_bytes")
    Long sizeBytes;

    String sha256;

    @Column(name = "file_count")
    Integer fileCount;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "finished_at")
    Instant finishedAt;

    @Column(name = "expires_at")
    Instant expiresAt;

    static TenantExport queued(String id, String jobId, String blobKey, String createdBy, Instant now) {
        TenantExport export = new TenantExport();
        export.id = id;
        export.state = ExportState.QUEUED;
        export.jobId = jobId;
        export.blobKey = blobKey;
        export.createdBy = createdBy;
        export.createdAt = now;
        return export;
    }

    void markRunning() {
        if (state == ExportState.QUEUED) {
            state = ExportState.RUNNING;
        }
    }

    void markSucceeded(BlobInfo archive, int files, Instant now, Instant expiry) {
        state = ExportState.SUCCEEDED;
        sizeBytes = archive.size();
        sha256 = archive.sha256();
        fileCount = files;
        finishedAt = now;
        expiresAt = expiry;
    }

    /** The job ended without an archive (failed for good, or cancelled). */
    void markFailed(Instant finished) {
        if (state.isUnfinished()) {
            state = ExportState.FAILED;
            finishedAt = finished;
        }
    }

    void markExpired() {
        state = ExportState.EXPIRED;
    }

    boolean expiredAt(Instant now) {
        return state == ExportState.EXPIRED || (expiresAt != null && !expiresAt.isAfter(now));
    }
}
