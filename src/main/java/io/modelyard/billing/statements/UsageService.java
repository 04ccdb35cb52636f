package io.modelyard.billing.statements;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Period;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** What tenants read of their own usage: the period against the plan, history, the ledger, invoices, credits. */
@ApplicationScoped
public class UsageService {

    private final TenantContext context;
    private final Statements statements;
    private final UsageRollups rollups;
    private final UsageEventRepository events;
    private final CreditGrantRepository credits;
    private final PlatformClock clock;
    private final BillingConfig config;

    UsageService(TenantContext context, Statements statements, UsageRollups rollups, UsageEventRepository events,
            CreditGrantRepository credits, PlatformClock clock, BillingConfig config) {
        this.context = context;
        this.statements = statements;
        this.rollups = rollups;
        this.events = events;
        this.credits = credits;
        this.clock = clock;
        this.config = config;
    }

    /** The period's usage per meter; {@code aggregated_at} says how fresh it is. */
    @Transactional
    public UsageSummaryView summary(String period) {
        return summaryOf(context.require(Permission.READ), period);
    }

    /**
     * Any tenant's usage in a period, for operators: the caller has checked that it is one and that the tenant
     * exists.
     */
    @Transactional
    public UsageSummaryView summaryOf(String tenantId, String period) {
        return UsageSummaryView.of(statements.of(tenantId, Period.parse(period, "period",
                statements.currentPeriod())), statements.aggregatedAt(), config.durability());
    }

    @Transactional
    public List<UsageBucketView> daily(String from, String to, UsageFilter filter, String groupBy) {
        String tenantId = context.require(Permission.READ);
        LocalDate today = clock.now().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate start = date(from, "from", statements.currentPeriod().startDate());
        return rollups.daily(tenantId, start, date(to, "to", today), filter, UsageRollups.Grouping.parse(groupBy));
    }

    @Transactional
    public List<UsageBucketView> hourly(String from, String to, UsageFilter filter, String groupBy) {
        String tenantId = context.require(Permission.READ);
        Instant end = instant(to, "to", clock.now());
        return rollups.hourly(tenantId, instant(from, "from", end.minus(Duration.ofHours(24))), end, filter,
                UsageRollups.Grouping.parse(groupBy));
    }

    @Transactional
    public Page<UsageEventView> events(PageRequest page, UsageFilter filter) {
        context.require(Permission.READ);
        return Page.of(events.page(page, filter), page, e -> e.id, UsageEventView::of);
    }

    @Transactional
    public UsageEventView event(String id) {
        context.require(Permission.READ);
        return events.findEvent(id).map(UsageEventView::of)
                .orElseThrow(() -> ProblemException.notFound("usage event", id));
    }

    /** Owners and admins: money is their business. */
    @Transactional
    public InvoicePreviewView invoicePreview(String period) {
        return invoicePreviewOf(context.require(Permission.ADMIN), period);
    }

    /** Any tenant's invoice preview for a period, for operators (as {@link #summaryOf}). */
    @Transactional
    public InvoicePreviewView invoicePreviewOf(String tenantId, String period) {
        return InvoicePreviewView.of(statements.of(tenantId, Period.parse(period, "period",
                statements.currentPeriod())));
    }

    @Transactional
    public Page<CreditGrantView> credits(PageRequest page) {
        context.require(Permission.ADMIN);
        return Page.of(credits.page(page), page, g -> g.id, CreditGrantView::of);
    }

    @Transactional
    public CreditGrantView credit(String id) {
        context.require(Permission.ADMIN);
        return credits.findGrant(id).map(CreditGrantView::of)
                .orElseThrow(() -> ProblemException.notFound("credit grant", id));
    }

    static LocalDate date(String value, String field, LocalDate otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be a date as YYYY-MM-DD");
        }
    }

    public static Instant instant(String value, String field, Instant otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 UTC timestamp");
        }
    }
}
