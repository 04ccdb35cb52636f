package io.modelyard.dataset;

import io.modelyard.dataset.version.RowIndex;
import io.modelyard.storage.BlobInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/**
 * One immutable version of a dataset: the upload it came from (the raw blob), the processed rows with their
 * splits (the version blob, see {@link io.modelyard.dataset.version.CanonicalFormat}), and every report about
 * them. Written once; the database does not let the application update it.
 */
@Entity
@Immutable
@Table(name = "dataset_versions")
class DatasetVersion {

    static final String RAW = "raw";
    static final String CLEANED = "cleaned";

    @Id
    String id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    String tenantId;

    @Column(name = "dataset_id")
    String datasetId;

    int number;

    /** {@code raw}: made from the upload when it arrived; {@code cleaned}: re-cleaned later with other options. */
    String kind;

    @Column(name = "parent_version_id")
    String parentVersionId;

    @Column(name = "raw_key")
    String rawKey;

    @Column(name = "raw_sha256")
    String rawSha256;

    @Column(name = "raw_size_bytes")
    long rawSizeBytes;

    @Column(name = "blob_key")
    String blobKey;

    @Column(name = "blob_sha256")
    String blobSha256;

    @Column(name = "blob_size_bytes")
    long blobSizeBytes;

    @JdbcTypeCode(SqlTypes.JSON)
    String schema;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "column_types")
    String columnTypes;

    @JdbcTypeCode(SqlTypes.JSON)
    String validation;

    @JdbcTypeCode(SqlTypes.JSON)
    String cleaning;

    @JdbcTypeCode(SqlTypes.JSON)
    String profile;

    @Column(name = "split_train")
    long splitTrain;

    @Column(name = "split_validation")
    long splitValidation;

    @Column(name = "split_test")
    long splitTest;

    /** The processing options used (column map, cleaning, split, limits), JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    String options;

    @Column(name = "row_count")
    long rowCount;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "created_at")
    Instant createdAt;

    /** Byte offsets of every {@link RowIndex#EVERY}-th row in the version blob; null for versions made before. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "row_offsets", columnDefinition = "bigint[]")
    long[] rowOffsets;

    BlobInfo raw() {
        return new BlobInfo(rawKey, rawSizeBytes, rawSha256);
    }

    BlobInfo blob() {
        return new BlobInfo(blobKey, blobSizeBytes, blobSha256);
    }

    RowIndex rowIndex() {
        return rowOffsets == null ? RowIndex.NONE : new RowIndex(rowOffsets);
    }
}
