package io.modelyard.training;

import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.AfterCommit;
import io.modelyard.common.Idempotency;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The blobs of files a tenant uploads for training (word vectors, imported encoders): stored as received within
 * the plan's upload limit, checked, then recorded by the caller — and when the check or the record fails,
 * nothing is kept. Each kind of file keeps its own table, check and view; this is what they share.
 */
@ApplicationScoped
public class TrainingFileStore {

    /** Reads a stored file through and describes it, or refuses it (a {@link ProblemException}). */
    @FunctionalInterface
    public interface Check<S> {
        S check(InputStream in) throws IOException;
    }

    /** Records a checked file, inside a transaction of its own. */
    @FunctionalInterface
    public interface Record<S, V> {
        V record(String id, BlobInfo blob, S checked);
    }

    /** Reads a stored file on a worker. */
    @FunctionalInterface
    public interface Read<R> {
        R read(InputStream in) throws IOException;
    }

    private final BlobStore blobs;
    private final Plans plans;
    private final TenantContext context;
    private final AfterCommit afterCommit;
    private final Idempotency idempotency;

    TrainingFileStore(BlobStore blobs, Plans plans, TenantContext context, AfterCommit afterCommit,
            Idempotency idempotency) {
        this.blobs = blobs;
        this.plans = plans;
        this.context = context;
        this.afterCommit = afterCommit;
        this.idempotency = idempotency;
    }

    /**
     * Stores {@code body} under {@code tenants/<tenant>/<folder>/<id><extension>} with a new id of
     * {@code idPrefix}: 400 without a name, 413 past the plan's upload limit, whatever {@code check} refuses;
     * a refusal keeps nothing. With an {@code Idempotency-Key}, the same name and the same bytes again replay the
     * first answer (the second copy is not kept); another name or other bytes under that key are a 409.
     */
    public <S, V> Idempotency.Outcome<V> upload(String folder, String idPrefix, String extension, String name,
            InputStream body, String idempotencyKey, Class<V> view, Check<S> check, Record<S, V> record) {
        String tenantId = context.require(Permission.DATASETS_WRITE);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ProblemException.invalidField("name", "is required, at most 200 characters");
        }
        PlanLimits plan = QuarkusTransaction.requiringNew().call(plans::limitsOfCurrentTenant);
        String id = TypedId.generate(idPrefix);
        String key = BlobKeys.of("tenants", tenantId, folder, id + extension);
        BlobInfo blob;
        try {
            blob = blobs.put(key, body, plan.maxUploadBytes());
        } catch (BlobTooLargeException e) {
            throw ProblemException.tooLarge("The file is larger than the " + plan.plan() + " plan's upload limit of "
                    + plan.maxUploadBytes() + " bytes; nothing was kept.").with("max_bytes", plan.maxUploadBytes())
                    .with("plan", plan.plan());
        }
        try {
            S checked;
            try (InputStream in = blobs.open(key, blob.sha256())) {
                checked = check.check(in);
            }
            FileUpload request = new FileUpload(name, blob.sha256());
            Idempotency.Outcome<V> outcome = QuarkusTransaction.requiringNew().call(() -> idempotency.once(tenantId,
                    idempotencyKey, "upload_" + folder, request, view, () -> record.record(id, blob, checked),
                    v -> v));
            if (outcome.replayed()) {
                blobs.delete(key);
            }
            return outcome;
        } catch (IOException e) {
            blobs.delete(key);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            blobs.delete(key);
            throw e;
        }
    }

    /** What an upload's Idempotency-Key is bound to: its name and its bytes. */
    private record FileUpload(String name, String sha256) {
    }

    /** Call in the transaction that deletes the file's record: the blob goes once that commits. */
    public void deleteAfterCommit(String key) {
        afterCommit.run(() -> blobs.delete(key));
    }

    /** On a worker: reads a recorded file; a blob that cannot be read is a retryable job failure. */
    public <R> R read(String key, String sha256, String unreadableCode, String unreadableMessage, Read<R> read) {
        try (InputStream in = blobs.open(key, sha256)) {
            return read.read(in);
        } catch (IOException | BlobStoreException e) {
            throw JobFailedException.retryable(unreadableCode, unreadableMessage, e);
        }
    }
}
