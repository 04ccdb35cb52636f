package io.modelyard.billing.admin;

import io.modelyard.audit.AuditLog;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Quantities;
import io.modelyard.billing.metering.BillingInvalidations;
import io.modelyard.billing.plans.Plan;
import io.modelyard.billing.plans.Plans;
import io.modelyard.billing.statements.CreditGrantView;
import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.statements.UsageFilter;
import io.modelyard.billing.statements.UsageService;
import io.modelyard.billing.statements.UsageSummaryView;
import io.modelyard.common.Idempotency;
import io.modelyard.common.NativeQueryValues;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantPlanAssignment;
import io.modelyard.tenant.TenantStatus;
import io.modelyard.tenant.TenantStatusChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators do to tenants' billing: move a tenant to another plan, map it to the external biller, grant
 * credits, read its usage and invoice, list tenants by usage. Plan changes and credit grants are audited in the
 * tenant's log. Runs in operator mode only.
 */
@ApplicationScoped
public class TenantBillingAdministration {

    private final EntityManager entityManager;
    private final TenantContext context;
    private final Plans plans;
    private final TenantPlanAssignment assignments;
    private final UsageService tenantUsage;
    private final AuditLog audit;
    private final Idempotency idempotency;
    private final BillingInvalidations invalidations;
    private final Event<TenantStatusChanged> tenantChanged;
    private final PlatformClock clock;

    TenantBillingAdministration(EntityManager entityManager, TenantContext context, Plans plans,
            TenantPlanAssignment assignments, UsageService tenantUsage, AuditLog audit, Idempotency idempotency,
            BillingInvalidations invalidations, Event<TenantStatusChanged> tenantChanged, PlatformClock clock) {
        this.entityManager = entityManager;
        this.context = context;
        this.plans = plans;
        this.assignments = assignments;
        this.tenantUsage = tenantUsage;
        this.audit = audit;
        this.idempotency = idempotency;
        this.invalidations = invalidations;
        this.tenantChanged = tenantChanged;
        this.clock = clock;
    }

    @Transactional
    public BillingAccountView account(String tenantId) {
        PlanAdministration.requireOperator(context);
        return readAccount(tenantId, false);
    }

    /** Moves the tenant to another plan (effective at once, for the whole current period) and/or maps it. */
    @Transactional
    public BillingAccountView updateAccount(String tenantId, BillingRequests.UpdateBillingAccount request) {
        PlanAdministration.requireOperator(context);
        BillingAccountView before = readAccount(tenantId, true);
        Instant now = clock.now();
        if (request.plan() != null && !request.plan().equals(before.plan())) {
            if (plans.find(request.plan()).isEmpty() && !planExists(request.plan())) {
                throw ProblemException.invalidField("plan", "no plan named " + request.plan());
            }
            assignments.assign(tenantId, request.plan(), now);
            entityManager.createNativeQuery("insert into plan_changes (id, tenant_id, from_plan, to_plan, changed_by,"
                            + " changed_at) values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, TypedId.generate("pch")).setParameter(2, tenantId)
                    .setParameter(3, before.plan()).setParameter(4, request.plan())
                    .setParameter(5, context.actor().reference()).setParameter(6, now)
                    .executeUpdate();
            audit.record(tenantId, "billing.plan_changed", "tenant", tenantId,
                    Map.of("from", before.plan(), "to", request.plan()));
            invalidations.tenantChanged(tenantId);
            // Cached API-key credentials carry the tenant's plan: have every instance read the tenant again.
            tenantChanged.fire(new TenantStatusChanged(tenantId, TenantStatus.ACTIVE));
        }
        if (request.stripeCustomerId() != null && !request.stripeCustomerId().equals(before.stripeCustomerId())) {
            entityManager.createNativeQuery("insert into billing_accounts (tenant_id, stripe_customer_id, updated_at)"
                            + " values (?1, ?2, ?3) on conflict (tenant_id) do update set"
                            + " stripe_customer_id = excluded.stripe_customer_id, updated_at = excluded.updated_at")
                    .setParameter(1, tenantId).setParameter(2, request.stripeCustomerId()).setParameter(3, now)
                    .executeUpdate();
            audit.record(tenantId, "billing.account_updated", "tenant", tenantId,
                    Map.of("stripe_customer_id", request.stripeCustomerId()));
        }
        return readAccount(tenantId, false);
    }

    /** Grants credits for a period; the tenant may use them at once (remembered refusals are forgotten). */
    @Transactional
    public Idempotency.Outcome<CreditGrantView> grant(String tenantId, BillingRequests.GrantCredit request,
            String idempotencyKey) {
        PlanAdministration.requireOperator(context);
        String scope = "user:" + context.subject().orElseThrow();
        Map<String, Object> fingerprinted = new LinkedHashMap<>();
        fingerprinted.put("tenant_id", tenantId);
        fingerprinted.put("grant", request);
        return idempotency.once(scope, idempotencyKey, "grant_credit", fingerprinted, CreditGrantView.class, () -> {
            BillingAccountView account = readAccount(tenantId, true);
            Meter meter = UsageFilter.meter(request.meter());
            boolean quantityCredit = meter != null && request.quantity() != null && request.amount() == null
                    && request.currency() == null;
            boolean moneyCredit = meter == null && request.quantity() == null && request.amount() != null;
            if (!quantityCredit && !moneyCredit) {
                throw ProblemException.invalid("Grant either meter and quantity, or amount (and currency).",
                        List.of(new ProblemException.FieldError("meter", "with quantity, or neither"),
                                new ProblemException.FieldError("amount", "alone, or with currency")));
            }
            String currency = null;
            if (moneyCredit) {
                String planCurrency = plans.find(account.plan()).map(Plan::currency).orElse("usd");
                currency = request.currency() == null ? planCurrency : request.currency();
                if (!currency.equals(planCurrency)) {
                    throw ProblemException.invalidField("currency", "must be the plan's currency, " + planCurrency);
                }
            }
            Period period = Period.parse(request.period(), "period", Period.of(clock.now()));
            String id = TypedId.generate("crd");
            Instant now = clock.now();
            entityManager.createNativeQuery("insert into credit_grants (id, tenant_id, period_start, meter, quantity,"
                            + " amount, currency, reason, granted_by, created_at)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                    .setParameter(1, id).setParameter(2, tenantId).setParameter(3, period.startDate())
                    .setParameter(4, meter == null ? null : meter.wireName()).setParameter(5, request.quantity())
                    .setParameter(6, request.amount()).setParameter(7, currency)
                    .setParameter(8, request.reason().strip()).setParameter(9, context.actor().reference())
                    .setParameter(10, now)
                    .executeUpdate();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("period", period.toString());
            if (meter != null) {
                details.put("meter", meter.wireName());
                details.put("quantity", Quantities.plain(request.quantity()));
            } else {
                details.put("amount", request.amount());
                details.put("currency", currency);
            }
            details.put("reason", request.reason().strip());
            audit.record(tenantId, "billing.credit_granted", "credit_grant", id, details);
            invalidations.tenantChanged(tenantId);
            return new CreditGrantView(id, "credit_grant", tenantId, period.toString(), meter,
                    Quantities.plain(request.quantity()), request.amount(), currency, request.reason().strip(),
                    context.actor().reference(), now);
        }, view -> view);
    }

    @Transactional
    public Page<CreditGrantView> credits(String tenantId, PageRequest page) {
        PlanAdministration.requireOperator(context);
        readAccount(tenantId, false);
        String after = page.after("crd");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select id, period_start, meter, quantity, amount,"
                        + " currency, reason, granted_by, created_at from credit_grants where tenant_id = ?1"
                        + " and (cast(?2 as text) is null or id < cast(?2 as text)) order by id desc limit ?3")
                .setParameter(1, tenantId).setParameter(2, after).setParameter(3, page.limit() + 1)
                .getResultList();
        return Page.of(rows, page, r -> (String) r[0], r -> new CreditGrantView((String) r[0], "credit_grant",
                tenantId, Period.ofStart(NativeQueryValues.localDate(r[1])).toString(),
                r[2] == null ? null : Meter.fromWire((String) r[2]), Quantities.plain((BigDecimal) r[3]),
                r[4] == null ? null : ((Number) r[4]).longValue(), (String) r[5], (String) r[6], (String) r[7],
                NativeQueryValues.instant(r[8])));
    }

    @Transactional
    public UsageSummaryView usage(String tenantId, String period) {
        PlanAdministration.requireOperator(context);
        readAccount(tenantId, false);
        return tenantUsage.summaryOf(tenantId, period);
    }

    @Transactional
    public InvoicePreviewView invoicePreview(String tenantId, String period) {
        PlanAdministration.requireOperator(context);
        readAccount(tenantId, false);
        return tenantUsage.invoicePreviewOf(tenantId, period);
    }

    /** Tenants by how much of {@code meter} they used in the period, most first; the cursor is a tenant id. */
    @Transactional
    public Page<TenantUsageView> tenantsByUsage(String meterName, String periodValue, PageRequest page) {
        PlanAdministration.requireOperator(context);
        Meter meter = meterName == null || meterName.isEmpty() ? Meter.API_REQUESTS : UsageFilter.meter(meterName);
        Period period = Period.parse(periodValue, "period", Period.of(clock.now()));
        String after = page.after("ten");
        BigDecimal afterUsed = null;
        if (after != null) {
            List<?> cursor = entityManager.createNativeQuery("select used from usage_counters where tenant_id = ?1"
                            + " and meter = ?2 and period_start = ?3")
                    .setParameter(1, after).setParameter(2, meter.wireName()).setParameter(3, period.startDate())
                    .getResultList();
            afterUsed = cursor.isEmpty() ? BigDecimal.ZERO : (BigDecimal) cursor.get(0);
        }
        // Reads tenants' name and plan in the same query (never writes tenants): the page is ordered and cut by
        // usage, and a join keeps it one exact query where a lookup through the tenant package would be a second.
        jakarta.persistence.Query query = entityManager.createNativeQuery("select c.tenant_id, t.name, t.plan,"
                        + " c.used, coalesce(q.reserved, 0)"
                        + " from usage_counters c join tenants t on t.id = c.tenant_id"
                        + " left join quota_counters q on q.tenant_id = c.tenant_id and q.meter = c.meter"
                        + " and q.period_start = c.period_start"
                        + " where c.meter = ?1 and c.period_start = ?2 and c.used > 0"
                        + (after == null ? "" : " and (c.used, c.tenant_id) < (?4, ?5)")
                        + " order by c.used desc, c.tenant_id desc limit ?3")
                .setParameter(1, meter.wireName()).setParameter(2, period.startDate())
                .setParameter(3, page.limit() + 1);
        if (after != null) {
            query.setParameter(4, afterUsed).setParameter(5, after);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return Page.of(rows, page, r -> (String) r[0], r -> new TenantUsageView("tenant_usage", (String) r[0],
                (String) r[1], (String) r[2], meter, period.toString(), Quantities.plain((BigDecimal) r[3]),
                Quantities.plain((BigDecimal) r[4])));
    }

    private BillingAccountView readAccount(String tenantId, boolean lock) {
        TenantPlanAssignment.Assignment tenant = assignments.read(tenantId, lock)
                .orElseThrow(() -> ProblemException.notFound("tenant", tenantId));
        List<?> rows = entityManager.createNativeQuery("select stripe_customer_id, updated_at from billing_accounts"
                        + " where tenant_id = ?1")
                .setParameter(1, tenantId).getResultList();
        String stripeCustomerId = null;
        Instant updatedAt = tenant.updatedAt();
        if (!rows.isEmpty()) {
            Object[] row = (Object[]) rows.get(0);
            stripeCustomerId = (String) row[0];
            Instant accountUpdatedAt = NativeQueryValues.instant(row[1]);
            updatedAt = accountUpdatedAt.isAfter(updatedAt) ? accountUpdatedAt : updatedAt;
        }
        return new BillingAccountView(tenantId, "billing_account", tenant.plan(), stripeCustomerId, updatedAt);
    }

    private boolean planExists(String name) {
        return !entityManager.createNativeQuery("select 1 from plans where name = ?1").setParameter(1, name)
                .getResultList().isEmpty();
    }
}
