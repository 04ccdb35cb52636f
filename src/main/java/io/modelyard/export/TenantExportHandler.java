package io.modelyard.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PlatformClock;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.BlobStoreException;
import io.modelyard.storage.BlobTooLargeException;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs {@code tenant_export} jobs: writes one zip of everything the tenant has to
 * {@code tenants/<tenant>/exports/<export id>.zip}, streamed entry by entry, with {@code manifest.json} last.
 * A repeated run writes the same key again; a cancelled or failed run leaves no archive (the blob write is
 * aborted). The export is marked succeeded in the transaction that records the job's success.
 */
@ApplicationScoped
public class TenantExportHandler implements JobHandler {

    public static final String TYPE = "tenant_export";
    /** Share of the progress for datasets and models (the bulk of the bytes); the records take the rest. */
    private static final double STORED_DATA_SHARE = 80;
    private static final int RECORD_SECTIONS = 6;

    private final TenantExportService exports;
    private final StoredDataSection storedData;
    private final RecordsSection records;
    private final BlobStore blobs;
    private final TenantScope tenantScope;
    private final PlatformClock clock;
    private final ExportConfig config;
    private final ObjectMapper json;

    TenantExportHandler(TenantExportService exports, StoredDataSection storedData, RecordsSection records,
            BlobStore blobs, TenantScope tenantScope, PlatformClock clock, ExportConfig config, ObjectMapper json) {
        this.exports = exports;
        this.storedData = storedData;
        this.records = records;
        this.blobs = blobs;
        this.tenantScope = tenantScope;
        this.clock = clock;
        this.config = config;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String exportId = execution.payload(TenantExportPayload.class).exportId();
        exports.markRunning(exportId);
        Written written = writeOrGiveUp(execution, exportId);
        execution.events().info("Wrote " + written.files() + " files (" + written.archive().size() + " bytes).");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tenant_export_id", exportId);
        result.put("size_bytes", written.archive().size());
        result.put("sha256", written.archive().sha256());
        result.put("file_count", written.files());
        return JobResult.of(result).whenRecorded(() ->
                exports.markSucceeded(exportId, written.archive(), written.files()));
    }

    private record Written(BlobInfo archive, int files) {
    }

    private Written writeOrGiveUp(JobExecution execution, String exportId) {
        // An owner asked for everything, audit log and invoices included, which the job's own actor (READ and
        // the writes jobs do) may not read: the reading runs as this export, with READ and ADMIN only.
        Actor reader = new Actor(Actor.Type.SYSTEM, "tenant_export:" + exportId, "export " + exportId, null,
                EnumSet.of(Permission.READ, Permission.ADMIN));
        try {
            return tenantScope.call(execution.tenantId(), reader, () -> write(execution, exportId));
        } catch (JobStoppedException e) {
            if (execution.stopRequested() == StopReason.CANCEL) {
                giveUp(execution, exportId);
            }
            throw e;
        } catch (JobFailedException e) {
            if (!e.isRetryable()) {
                giveUp(execution, exportId);
            }
            throw e;
        }
    }

    /**
     * The export ends without an archive: one an earlier run stored before its worker died (and that this run
     * could not confirm) is deleted, so no archive outlives its export's failure.
     */
    private void giveUp(JobExecution execution, String exportId) {
        blobs.delete(ExportKeys.archive(execution.tenantId(), exportId));
    }

    private Written write(JobExecution execution, String exportId) {
        String tenantId = execution.tenantId();
        Instant startedAt = clock.now();
        try (ExportArchive archive = new ExportArchive(blobs.openWriter(ExportKeys.archive(tenantId, exportId),
                config.maxArchiveSize().asLongValue()), json)) {
            StoredDataSection.Inventory inventory = storedData.inventory();
            execution.events().info("Exporting " + inventory.datasetIds().size() + " datasets and "
                    + inventory.modelIds().size() + " models.");
            Progress progress = new Progress(execution, inventory.items());
            for (String datasetId : inventory.datasetIds()) {
                storedData.dataset(archive, datasetId);
                progress.item("dataset " + datasetId);
            }
            for (String modelId : inventory.modelIds()) {
                storedData.model(archive, modelId);
                progress.item("model " + modelId);
            }
            storedData.aliases(archive);
            records.jobs(archive);
            progress.section("jobs");
            Instant firstUsage = records.usage(archive);
            progress.section("usage");
            records.invoices(archive, firstUsage);
            progress.section("invoices");
            records.audit(archive);
            progress.section("audit log");
            records.members(archive);
            progress.section("members");
            records.apiKeys(archive);
            progress.section("API keys");
            BlobInfo stored = archive.finish(tenantId, exportId, startedAt);
            return new Written(stored, archive.fileCount());
        } catch (BlobTooLargeException e) {
            throw new JobFailedException("archive_too_large", "The archive is larger than "
                    + config.maxArchiveSize().asLongValue() + " bytes.");
        } catch (BlobStoreException | IOException | UncheckedIOException e) {
            throw JobFailedException.retryable("archive_not_written", "The archive could not be written.", e);
        }
    }

    /**
     * Percent done over datasets and models (by count), then over the record sections; stops when asked. A
     * message per section, and per dataset or model only every few percent: a tenant may have thousands.
     */
    private static final class Progress {

        private static final double MESSAGE_EVERY_PERCENT = 5;

        private final JobExecution execution;
        private final int items;
        private int itemsDone;
        private int sectionsDone;
        private double lastMessage;

        Progress(JobExecution execution, int items) {
            this.execution = execution;
            this.items = items;
        }

        void item(String what) {
            itemsDone++;
            report("Exported " + what + ".", itemsDone == items);
        }

        void section(String what) {
            sectionsDone++;
            report("Exported the " + what + ".", true);
        }

        private void report(String message, boolean always) {
            double stored = items == 0 ? STORED_DATA_SHARE : STORED_DATA_SHARE * itemsDone / items;
            // 99 at most: the manifest and the commit are still to come.
            double percent = Math.min(99.0, stored + (100 - STORED_DATA_SHARE) * sectionsDone / RECORD_SECTIONS);
            execution.events().progress(percent);
            if (always || percent - lastMessage >= MESSAGE_EVERY_PERCENT) {
                execution.events().info(message + " (" + Math.round(percent) + "%)");
                lastMessage = percent;
            }
            execution.throwIfStopRequested();
        }
    }
}
