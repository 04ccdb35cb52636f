package io.modelyard.export;

import io.modelyard.audit.AuditLog;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.storage.BlobInfo;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.MemberRole;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/**
 * Exports of the current tenant's data: created by an owner, written by {@link TenantExportHandler} as a
 * {@code tenant_export} job, downloaded by an owner until {@code modelyard.exports.retention} has passed. Only
 * owners: an archive holds everything the tenant has, including the audit log and billing.
 */
@ApplicationScoped
public class TenantExportService {

    private final TenantExportRepository exports;
    private final JobService jobs;
    private final Idempotency idempotency;
    private final TenantContext context;
    private final AuditLog audit;
    private final PlatformClock clock;
    private final ExportConfig config;

    TenantExportService(TenantExportRepository exports, JobService jobs, Idempotency idempotency,
            TenantContext context, AuditLog audit, PlatformClock clock, ExportConfig config) {
        this.exports = exports;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.context = context;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
    }

    /** What a download streams. */
    public record Download(String blobKey, String sha256, long sizeBytes, String filename) {
    }

    /** Creates an export and enqueues its job in one transaction; 403 for anyone but an owner. */
    @Transactional
    public Idempotency.Outcome<TenantExportView> create(TenantExportRequests.CreateTenantExport request,
            String idempotencyKey) {
        String tenantId = requireOwner();
        Object fingerprint = request == null ? new TenantExportRequests.CreateTenantExport() : request;
        return idempotency.once(tenantId, idempotencyKey, "create_tenant_export", fingerprint,
                TenantExportView.class, () -> {
                    String id = TypedId.generate("exp");
                    JobView job = jobs.enqueue(TenantExportHandler.TYPE, new TenantExportPayload(id),
                            Map.of("tenant_export_id", id), config.maxAttempts(), null).body();
                    TenantExport export = TenantExport.queued(id, job.id(), ExportKeys.archive(tenantId, id),
                            context.actor().reference(), clock.now());
                    exports.persist(export);
                    audit.record("tenant_export.created", "tenant_export", id, Map.of("job_id", job.id()));
                    return TenantExportView.of(export);
                }, view -> view);
    }

    @Transactional
    public Page<TenantExportView> list(PageRequest page) {
        requireOwner();
        return Page.of(exports.page(page), page, e -> e.id, e -> TenantExportView.of(mirrorJob(e)));
    }

    @Transactional
    public TenantExportView get(String id) {
        requireOwner();
        return TenantExportView.of(mirrorJob(find(id)));
    }

    /** The archive of a succeeded export; 409 before, 410 once expired. Audited. */
    @Transactional
    public Download download(String id) {
        requireOwner();
        TenantExport export = mirrorJob(find(id));
        if (export.expiredAt(clock.now())) {
            throw new ProblemException(410, "export-expired", "Gone", "The archive of export " + id
                    + " was deleted when its retention period ended (" + export.expiresAt
                    + "); create a new export.");
        }
        if (export.state != ExportState.SUCCEEDED) {
            throw ProblemException.conflict("export-not-ready", "Export " + id + " is "
                    + TenantExportView.of(export).state() + "; its archive can be downloaded once it has succeeded.")
                    .with("state", TenantExportView.of(export).state());
        }
        audit.record("tenant_export.downloaded", "tenant_export", id, Map.of("size_bytes", export.sizeBytes));
        return new Download(export.blobKey, export.sha256, export.sizeBytes,
                "modelyard-export-" + export.id + ".zip");
    }

    /** The handler started writing the archive (in its own transaction). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void markRunning(String id) {
        exports.findExport(id).ifPresent(TenantExport::markRunning);
    }

    /** The archive is written; called in the transaction that records the job's success. */
    @Transactional(Transactional.TxType.MANDATORY)
    void markSucceeded(String id, BlobInfo archive, int files) {
        Instant now = clock.now();
        find(id).markSucceeded(archive, files, now, now.plus(config.retention()));
    }

    /** The sweeper deleted the archive. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void markExpired(String id) {
        exports.findExport(id).ifPresent(TenantExport::markExpired);
    }

    /**
     * A job that failed for good or was cancelled records nothing itself (a crash can end it anywhere): the
     * export learns its end from the job when it is next read.
     */
    private TenantExport mirrorJob(TenantExport export) {
        if (export.state.isUnfinished()) {
            JobView job = jobs.get(export.jobId);
            if (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED) {
                export.markFailed(job.finishedAt() == null ? clock.now() : job.finishedAt());
            } else if (job.state() == JobState.RUNNING) {
                export.markRunning();
            }
        }
        return export;
    }

    private TenantExport find(String id) {
        if (!TypedId.isWellFormed("exp", id)) {
            throw ProblemException.notFound("tenant export", id);
        }
        return exports.findExport(id).orElseThrow(() -> ProblemException.notFound("tenant export", id));
    }

    /** Owners only: a person whose role in this tenant is owner; API keys never. */
    private String requireOwner() {
        String tenantId = context.requireTenant();
        Actor actor = context.actor();
        if (actor.type() != Actor.Type.USER || actor.role() != MemberRole.OWNER) {
            throw ProblemException.forbidden("owner-required", actor.type() == Actor.Type.API_KEY
                    ? "Tenant exports are made and downloaded by an owner signed in as a person, not with an API key."
                    : "Only an owner of this tenant may export or download its data.");
        }
        return tenantId;
    }
}
