package io.modelyard.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.audit.AuditEvents;
import io.modelyard.auth.ApiKeyScope;
import io.modelyard.auth.ApiKeyService;
import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.Period;
import io.modelyard.billing.statements.UsageFilter;
import io.modelyard.billing.statements.UsageService;
import io.modelyard.common.PlatformClock;
import io.modelyard.dataset.format.CsvWriter;
import io.modelyard.job.JobService;
import io.modelyard.tenant.MemberService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's records, each list read page by page straight into its file:
 *
 * <pre>
 * jobs.jsonl, job-events.jsonl     every job and every event of it, oldest event first per job
 * usage/events.csv                 the usage ledger
 * billing/invoices.csv             an invoice preview per billing period since the first usage, one line per meter
 * audit.jsonl                      the audit log, newest first
 * members.json                     members and their roles
 * api-keys.json                    API keys: id, name, prefix, scopes, dates; never a secret or its hash
 * </pre>
 */
@ApplicationScoped
class RecordsSection {

    /** An API key in the archive: what identifies and limits it, nothing that could authenticate. */
    record ApiKeyRecord(String id, String name, String prefix, Set<ApiKeyScope> scopes, String status,
            String createdBy, Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
            String rotatedFrom) {
    }

    private static final String[] USAGE_HEADER = {"id", "occurred_at", "meter", "quantity", "unit", "source",
        "api_key_id", "model_id", "job_id", "idempotency_key", "attributes"};
    private static final String[] INVOICE_HEADER = {"period", "period_start", "period_end", "status", "plan",
        "currency", "base_price", "meter", "unit", "quantity", "included", "billable", "unit_price", "amount",
        "usage_amount", "subtotal", "credits", "total"};

    private final JobService jobs;
    private final UsageService usage;
    private final AuditEvents audit;
    private final MemberService members;
    private final ApiKeyService apiKeys;
    private final PlatformClock clock;
    private final ObjectMapper json;

    RecordsSection(JobService jobs, UsageService usage, AuditEvents audit, MemberService members,
            ApiKeyService apiKeys, PlatformClock clock, ObjectMapper json) {
        this.jobs = jobs;
        this.usage = usage;
        this.audit = audit;
        this.members = members;
        this.apiKeys = apiKeys;
        this.clock = clock;
        this.json = json;
    }

    void jobs(ExportArchive archive) throws IOException {
        archive.file("jobs.jsonl", out -> PageWalk.each(page -> jobs.list(page, null, null, Map.of()),
                job -> archive.line(out, job)));
        // A second walk: one zip entry is written at a time, and the events belong to their own file.
        archive.file("job-events.jsonl", out -> PageWalk.each(page -> jobs.list(page, null, null, Map.of()),
                job -> PageWalk.each(page -> jobs.events(job.id(), page), event -> archive.line(out, event))));
    }

    /** Writes the usage ledger; returns when its oldest event happened (now, when there is none). */
    Instant usage(ExportArchive archive) throws IOException {
        Instant[] oldest = {clock.now()};
        archive.file("usage/events.csv", out -> {
            CsvWriter csv = new CsvWriter(out, ',', CsvWriter.FormulaEscaping.NON_NUMERIC);
            csv.row(USAGE_HEADER);
            PageWalk.each(page -> usage.events(page, UsageFilter.of(null, null, null, null)), e -> {
                csv.row(e.id(), e.occurredAt().toString(), e.meter().wireName(), e.quantity().toPlainString(),
                        e.unit(), e.source(), e.apiKeyId(), e.modelId(), e.jobId(), e.idempotencyKey(),
                        e.attributes().isEmpty() ? "" : json.writeValueAsString(e.attributes()));
                if (e.occurredAt().isBefore(oldest[0])) {
                    oldest[0] = e.occurredAt();
                }
            });
            csv.flush();
        });
        return oldest[0];
    }

    /** One invoice preview per billing period from the one of {@code since} to the current one. */
    void invoices(ExportArchive archive, Instant since) throws IOException {
        Period current = Period.of(clock.now());
        archive.file("billing/invoices.csv", out -> {
            CsvWriter csv = new CsvWriter(out, ',', CsvWriter.FormulaEscaping.NON_NUMERIC);
            csv.row(INVOICE_HEADER);
            for (Period period = Period.of(since); !period.startDate().isAfter(current.startDate());
                    period = period.next()) {
                InvoicePreviewView invoice = usage.invoicePreview(period.toString());
                if (invoice.lineItems().isEmpty()) {
                    csv.row(invoiceColumns(invoice, null));
                }
                for (InvoicePreviewView.LineItem line : invoice.lineItems()) {
                    csv.row(invoiceColumns(invoice, line));
                }
            }
            csv.flush();
        });
    }

    private static String[] invoiceColumns(InvoicePreviewView invoice, InvoicePreviewView.LineItem line) {
        return new String[] {invoice.period(), invoice.periodStart().toString(), invoice.periodEnd().toString(),
            invoice.status(), invoice.plan(), invoice.currency(), Long.toString(invoice.basePrice()),
            line == null ? "" : line.meter().wireName(), line == null ? "" : line.unit(),
            line == null ? "" : line.quantity().toPlainString(), line == null ? "" : line.included().toPlainString(),
            line == null ? "" : line.billable().toPlainString(), line == null ? "" : line.unitPrice(),
            line == null ? "" : Long.toString(line.amount()), Long.toString(invoice.usageAmount()),
            Long.toString(invoice.subtotal()), Long.toString(invoice.credits()), Long.toString(invoice.total())};
    }

    void audit(ExportArchive archive) throws IOException {
        archive.file("audit.jsonl", out -> PageWalk.each(page -> audit.list(page, null, null),
                event -> archive.line(out, event)));
    }

    void members(ExportArchive archive) throws IOException {
        archive.jsonArray("members.json", generator -> PageWalk.each(members::list,
                member -> json.writeValue(generator, member)));
    }

    void apiKeys(ExportArchive archive) throws IOException {
        archive.jsonArray("api-keys.json", generator -> PageWalk.each(page -> apiKeys.list(page, true),
                key -> json.writeValue(generator, new ApiKeyRecord(key.id(), key.name(), key.prefix(), key.scopes(),
                        key.status(), key.createdBy(), key.createdAt(), key.expiresAt(), key.revokedAt(),
                        key.lastUsedAt(), key.rotatedFrom()))));
    }
}
