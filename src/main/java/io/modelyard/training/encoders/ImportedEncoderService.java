package io.modelyard.training.encoders;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.job.JobFailedException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.TrainingFileStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.Map;

/**
 * Imported encoders of the current tenant: uploaded once (stored as received, checked, recorded), named by
 * training jobs ({@code encoder_id}, architecture {@code imported_encoder}), deleted with their blob.
 */
@ApplicationScoped
public class ImportedEncoderService {

    private final EntityManager entityManager;
    private final TrainingFileStore files;
    private final TenantContext context;
    private final AuditLog audit;
    private final PlatformClock clock;

    ImportedEncoderService(EntityManager entityManager, TrainingFileStore files, TenantContext context, AuditLog audit,
            PlatformClock clock) {
        this.entityManager = entityManager;
        this.files = files;
        this.context = context;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores and checks an upload: 413 past the plan's upload limit, 422 {@code invalid-encoder}; a refusal keeps
     * nothing.
     */
    public Idempotency.Outcome<ImportedEncoderView> upload(String name, InputStream body, String idempotencyKey) {
        return files.upload("encoders", "enc", ".zip", name, body, idempotencyKey, ImportedEncoderView.class,
                EncoderZip::check, (id, blob, vocabulary) -> {
            ImportedEncoder v = new ImportedEncoder();
            v.id = id;
            v.name = name;
            v.vocabularySize = vocabulary;
            v.blobKey = blob.key();
            v.sha256 = blob.sha256();
            v.sizeBytes = blob.size();
            v.createdBy = context.actor().reference();
            v.createdAt = clock.now();
            entityManager.persist(v);
            audit.record("imported_encoder.created", "imported_encoder", id, Map.of("name", name));
            return ImportedEncoderView.of(v);
        });
    }

    @Transactional
    public ImportedEncoderView get(String id) {
        context.require(Permission.READ);
        return ImportedEncoderView.of(find(id));
    }

    @Transactional
    public Page<ImportedEncoderView> list(PageRequest page) {
        context.require(Permission.READ);
        return page.newestFirst(entityManager, ImportedEncoder.class, "enc", v -> v.id, ImportedEncoderView::of);
    }

    /** Deletes the record, then the file once that commits. */
    @Transactional
    public void delete(String id) {
        context.require(Permission.DATASETS_WRITE);
        ImportedEncoder v = find(id);
        entityManager.remove(v);
        audit.record("imported_encoder.deleted", "imported_encoder", id, Map.of("name", v.name));
        files.deleteAfterCommit(v.blobKey);
    }

    /** On a worker: the uploaded zip (a job failure when it was deleted meanwhile). */
    public byte[] download(String id) {
        ImportedEncoder v;
        try {
            v = QuarkusTransaction.requiringNew().call(() -> find(id));
        } catch (ProblemException e) {
            throw new JobFailedException("encoder_not_found", "The imported encoder " + id + " no longer exists.");
        }
        return files.read(v.blobKey, v.sha256, "encoder_unreadable", "The imported encoder could not be read.",
                InputStream::readAllBytes);
    }

    private ImportedEncoder find(String id) {
        ImportedEncoder v = id == null ? null : entityManager.find(ImportedEncoder.class, id);
        if (v == null) {
            throw ProblemException.notFound("imported encoder", id);
        }
        return v;
    }
}
