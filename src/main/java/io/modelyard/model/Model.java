package io.modelyard.model;

import io.modelyard.common.LowercaseEnumConverter;
import io.modelyard.model.spec.Architecture;
import io.modelyard.model.spec.TaskType;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * One trained model version: what it was trained on and how, how well it did on data it never saw, and where
 * its artifact is. Immutable once registered, except for deletion, which keeps a tombstone so that usage and
 * audit records that name it stay meaningful.
 */
@Entity
@Table(name = "models")
class Model {

    enum Status {
        READY, DELETED;

        @jakarta.persistence.Converter(autoApply = true)
        static class Column extends LowercaseEnumConverter<Status> {
            Column() {
                super(Status.class);
            }
        }
    }

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    String name;
    int version;
    TaskType task;
    Architecture architecture;

    @Column(name = "dataset_version_id")
    String datasetVersionId;

    @Column(name = "training_job_id")
    String trainingJobId;

    /** JSON text written by the API's mapper, so stored and served field names agree. */
    @JdbcTypeCode(SqlTypes.JSON)
    String hyperparameters;

    @JdbcTypeCode(SqlTypes.JSON)
    String evaluation;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "training_summary")
    String trainingSummary;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "data_summary")
    String dataSummary;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    String[] labels;

    @Column(name = "artifact_key")
    String artifactKey;

    @Column(name = "artifact_sha256")
    String artifactSha256;

    @Column(name = "artifact_size_bytes")
    long artifactSizeBytes;

    @Convert(converter = Status.Column.class)
    Status status;

    @JdbcTypeCode(SqlTypes.JSON)
    String metadata;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "deleted_at")
    Instant deletedAt;

    boolean isReady() {
        return status == Status.READY;
    }

    /** Marks the model deleted; its artifact key is returned for the caller to remove after commit. */
    String markDeleted(Instant now) {
        String key = artifactKey;
        status = Status.DELETED;
        deletedAt = now;
        artifactKey = null;
        return key;
    }
}
