package io.modelyard.dataset;

import io.modelyard.model.spec.TaskType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * A tenant's dataset: what it is for, how its upload is read, and how many bytes its blobs take. Its content
 * lives in immutable {@link DatasetVersion}s.
 */
@Entity
@Table(name = "datasets")
class Dataset {

    static final String READY = "ready";

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    String name;

    TaskType task;

    /** The column map as declared at upload (JSON, snake_case). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "column_map")
    String columnMap;

    /** {@code {"format": "csv", "delimiter": ","}}: how the raw upload is read again. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "source_format")
    String sourceFormat;

    String status;

    @Column(name = "version_count")
    int versionCount;

    @Column(name = "stored_bytes")
    long storedBytes;

    @JdbcTypeCode(SqlTypes.JSON)
    String metadata;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    /** Counts a new version and the bytes it adds; returns its number. */
    int addVersion(long addedBytes, Instant now) {
        versionCount++;
        storedBytes += addedBytes;
        updatedAt = now;
        return versionCount;
    }
}
