package io.modelyard.training.encoders;

import io.modelyard.audit.AuditLog;
import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.job.JobFailedException;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobKeys;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Imported encoders of the current tenant: uploaded once (stored as received, checked, recorded), named by
 * training jobs ({@code encoder_id}, architecture {@code imported_encoder}), deleted with their blob.
 */
@ApplicationScoped
public class ImportedEncoderService {

    private final EntityManager entityManager;
    private final BlobStore blobs;
    private final Plans plans;
    private final TenantContext context;
    private final AuditLog audit;
    private final PlatformClock clock;
    private final TransactionSynchronizationRegistry transactions;

    ImportedEncoderService(EntityManager entityManager, BlobStore blobs, Plans plans, TenantContext context,
            AuditLog audit, PlatformClock clock, TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
        this.entityManager = entityManager;
        this.blobs = blobs;
        this.plans = plans;
        this.context = context;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Stores and checks an upload: 413 past the plan's upload limit, 422 {@code invalid-encoder}; a refusal keeps
     * nothing.
     */
    public ImportedEncoderView upload(String name, InputStream body) {
        String tenantId = context.require(Permission.DATASETS_WRITE);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ProblemException.invalidField("name", "is required, at most 200 characters");
        }
        PlanLimits plan = QuarkusTransaction.requiringNew().call(plans::limitsOfCurrentTenant);
        String id = TypedId.generate("enc");
        String key = BlobKeys.of("tenants", tenantId, "encoders", id + ".zip");
        BlobInfo blob;
        try {
            blob = blobs.put(key, body, plan.maxUploadBytes());
        } catch (BlobTooLargeException e) {
            throw ProblemException.tooLarge("The file is larger than the " + plan.plan() + " plan's upload limit of "
                    + plan.maxUploadBytes() + " bytes; nothing was kept.").with("max_bytes", plan.maxUploadBytes())
                    .with("plan", plan.plan());
        }
        try {
            int vocabulary;
            try (InputStream in = blobs.open(key, blob.sha256())) {
                vocabulary = EncoderZip.check(in);
            }
            return QuarkusTransaction.requiringNew().call(() -> {
                ImportedEncoder v = new ImportedEncoder();
                v.id = id;
                v.name = name;
                v.vocabularySize = vocabulary;
                v.blobKey = key;
                v.sha256 = blob.sha256();
                v.sizeBytes = blob.size();
                v.createdBy = context.actor().reference();
                v.createdAt = clock.now();
                entityManager.persist(v);
                audit.record("imported_encoder.created", "imported_encoder", id, Map.of("name", name));
                return ImportedEncoderView.of(v);
            });
        } catch (IOException e) {
            blobs.delete(key);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            blobs.delete(key);
            throw e;
        }
    }

    @Transactional
    public ImportedEncoderView get(String id) {
        context.require(Permission.READ);
        return ImportedEncoderView.of(find(id));
    }

    @Transactional
    public Page<ImportedEncoderView> list(PageRequest page) {
        context.require(Permission.READ);
        String after = page.after("enc");
        var query = entityManager.createQuery("select v from ImportedEncoder v"
                + (after == null ? "" : " where v.id < :after") + " order by v.id desc", ImportedEncoder.class)
                .setMaxResults(page.limit() + 1);
        if (after != null) {
            query.setParameter("after", after);
        }
        List<ImportedEncoder> rows = query.getResultList();
        return Page.of(rows, page, v -> v.id, ImportedEncoderView::of);
    }

    /** Deletes the record, then the file once that commits. */
    @Transactional
    public void delete(String id) {
        context.require(Permission.DATASETS_WRITE);
        ImportedEncoder v = find(id);
        entityManager.remove(v);
        audit.record("imported_encoder.deleted", "imported_encoder", id, Map.of("name", v.name));
        String key = v.blobKey;
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    blobs.delete(key);
                }
            }
        });
    }

    /** On a worker: the uploaded zip (a job failure when it was deleted meanwhile). */
    public byte[] download(String id) {
        ImportedEncoder v;
        try {
            v = QuarkusTransaction.requiringNew().call(() -> find(id));
        } catch (ProblemException e) {
            throw new JobFailedException("encoder_not_found", "The imported encoder " + id + " no longer exists.");
        }
        try (InputStream in = blobs.open(v.blobKey, v.sha256)) {
            return in.readAllBytes();
        } catch (IOException | BlobStoreException e) {
            throw JobFailedException.retryable("encoder_unreadable", "The imported encoder could not be read.", e);
        }
    }

    private ImportedEncoder find(String id) {
        ImportedEncoder v = id == null ? null : entityManager.find(ImportedEncoder.class, id);
        if (v == null) {
            throw ProblemException.notFound("imported encoder", id);
        }
        return v;
    }
}
