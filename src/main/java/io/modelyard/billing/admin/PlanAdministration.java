package io.modelyard.billing.admin;

import io.modelyard.billing.Meter;
import io.modelyard.billing.metering.BillingInvalidations;
import io.modelyard.billing.plans.Plan;
import io.modelyard.billing.plans.Plans;
import io.modelyard.billing.plans.PlanView;
import io.modelyard.billing.statements.UsageFilter;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Operators create and edit plans; every instance follows an edit at once (see {@link BillingInvalidations}). */
@ApplicationScoped
public class PlanAdministration {

    private static final Logger LOG = Logger.getLogger(PlanAdministration.class);

    private final EntityManager entityManager;
    private final TenantContext context;
    private final Plans plans;
    private final BillingInvalidations invalidations;
    private final PlatformClock clock;

    PlanAdministration(EntityManager entityManager, TenantContext context, Plans plans,
            BillingInvalidations invalidations, PlatformClock clock) {
        this.entityManager = entityManager;
        this.context = context;
        this.plans = plans;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    public List<PlanView> list() {
        requireOperator(context);
        return plans.all().stream().map(PlanView::of).toList();
    }

    public PlanView get(String name) {
        requireOperator(context);
        return plans.find(name).map(PlanView::of).orElseThrow(() -> ProblemException.notFound("plan", name));
    }

    @Transactional
    public PlanView create(BillingRequests.CreatePlan request) {
        requireOperator(context);
        Map<Meter, BillingRequests.MeterTerms> meters = meters(request.meters());
        Long imagePixels = imagePixels(request.maxImagePixelsPerRequest());
        BillingRequests.RateLimits rates = request.rateLimits();
        int inserted = entityManager.createNativeQuery("insert into plans (name, display_name, currency, base_price,"
                        + " max_upload_bytes, storage_cap_bytes, max_concurrent_jobs, key_rate, key_burst, tenant_rate,"
                        + " tenant_burst, created_at, updated_at, max_image_pixels_per_request) values (?1, ?2, ?3, ?4,"
                        + " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13) on conflict (name) do nothing")
                .setParameter(1, request.id()).setParameter(2, request.displayName().strip())
                .setParameter(3, request.currency() == null ? "usd" : request.currency())
                .setParameter(4, request.basePrice() == null ? 0L : request.basePrice())
                .setParameter(5, request.maxUploadBytes()).setParameter(6, request.storageCapBytes())
                .setParameter(7, request.maxConcurrentJobs())
                .setParameter(8, rates.apiKey().requestsPerSecond()).setParameter(9, rates.apiKey().burst())
                .setParameter(10, rates.tenant().requestsPerSecond()).setParameter(11, rates.tenant().burst())
                .setParameter(12, clock.now()).setParameter(13, imagePixels)
                .executeUpdate();
        if (inserted == 0) {
            throw ProblemException.conflict("plan-exists", "A plan named " + request.id() + " already exists.");
        }
        meters.forEach((meter, terms) -> upsertTerms(request.id(), meter, terms));
        LOG.infof("Operator %s created plan %s", context.actor().reference(), request.id());
        invalidations.plansChanged();
        return view(request.id());
    }

    @Transactional
    public PlanView update(String name, BillingRequests.UpdatePlan request) {
        requireOperator(context);
        List<?> locked = entityManager.createNativeQuery("select name from plans where name = ?1 for update")
                .setParameter(1, name).getResultList();
        if (locked.isEmpty()) {
            throw ProblemException.notFound("plan", name);
        }
        Map<Meter, BillingRequests.MeterTerms> meters = meters(request.meters());
        BillingRequests.ImagePixelsChange imagePixelsChange = request.maxImagePixelsPerRequest() == null
                ? BillingRequests.ImagePixelsChange.UNCHANGED : request.maxImagePixelsPerRequest();
        Long imagePixels = imagePixels(imagePixelsChange.pixels());
        BillingRequests.RateLimits rates = request.rateLimits();
        entityManager.createNativeQuery("update plans set display_name = coalesce(?2, display_name),"
                        + " currency = coalesce(?3, currency), base_price = coalesce(?4, base_price),"
                        + " max_upload_bytes = coalesce(?5, max_upload_bytes),"
                        + " storage_cap_bytes = coalesce(?6, storage_cap_bytes),"
                        + " max_concurrent_jobs = coalesce(?7, max_concurrent_jobs),"
                        + " key_rate = coalesce(?8, key_rate), key_burst = coalesce(?9, key_burst),"
                        + " tenant_rate = coalesce(?10, tenant_rate), tenant_burst = coalesce(?11, tenant_burst),"
                        + " updated_at = ?12 where name = ?1")
                .setParameter(1, name)
                .setParameter(2, request.displayName() == null ? null : request.displayName().strip())
                .setParameter(3, request.currency()).setParameter(4, request.basePrice())
                .setParameter(5, request.maxUploadBytes()).setParameter(6, request.storageCapBytes())
                .setParameter(7, request.maxConcurrentJobs())
                .setParameter(8, rates == null ? null : rates.apiKey().requestsPerSecond())
                .setParameter(9, rates == null ? null : rates.apiKey().burst())
                .setParameter(10, rates == null ? null : rates.tenant().requestsPerSecond())
                .setParameter(11, rates == null ? null : rates.tenant().burst())
                .setParameter(12, clock.now())
                .executeUpdate();
        if (imagePixelsChange.named()) {
            // Apart from the coalescing update above: null here is a value, the platform's default.
            entityManager.createNativeQuery("update plans set max_image_pixels_per_request = ?2 where name = ?1")
                    .setParameter(1, name).setParameter(2, imagePixels)
                    .executeUpdate();
        }
        meters.forEach((meter, terms) -> upsertTerms(name, meter, terms));
        LOG.infof("Operator %s edited plan %s", context.actor().reference(), name);
        invalidations.plansChanged();
        return view(name);
    }

    private void upsertTerms(String plan, Meter meter, BillingRequests.MeterTerms terms) {
        entityManager.createNativeQuery("insert into plan_meters (plan, meter, included, quota, quota_limit,"
                        + " unit_price) values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (plan, meter) do update set"
                        + " included = excluded.included, quota = excluded.quota, quota_limit = excluded.quota_limit,"
                        + " unit_price = excluded.unit_price")
                .setParameter(1, plan).setParameter(2, meter.wireName()).setParameter(3, terms.included())
                .setParameter(4, terms.quota().wireName()).setParameter(5, terms.limit())
                .setParameter(6, terms.unitPrice())
                .executeUpdate();
    }

    /** Reads the plan back inside this transaction (the catalogue refreshes after commit). */
    private PlanView view(String name) {
        Map<String, Plan> read = entityManager.unwrap(org.hibernate.Session.class)
                .doReturningWork(Plans::read);
        return java.util.Optional.ofNullable(read.get(name)).map(PlanView::of)
                .orElseThrow(() -> ProblemException.notFound("plan", name));
    }

    /**
     * A pixel limit as operators send it: a positive whole number. Taken as a decimal and checked here because a
     * {@code Long} field would have Jackson round 1.5 down to 1 rather than refuse it.
     */
    private static Long imagePixels(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal whole = value.stripTrailingZeros();
        if (value.signum() <= 0 || whole.scale() > 0 || whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw ProblemException.invalidField("max_image_pixels_per_request",
                    "must be a positive whole number of pixels, or null for the platform's default");
        }
        return whole.longValueExact();
    }

    private static Map<Meter, BillingRequests.MeterTerms> meters(Map<String, BillingRequests.MeterTerms> byName) {
        Map<Meter, BillingRequests.MeterTerms> meters = new java.util.EnumMap<>(Meter.class);
        if (byName == null) {
            return meters;
        }
        byName.forEach((name, terms) -> {
            Meter meter = UsageFilter.meter(name);
            if (meter == null || terms == null) {
                throw ProblemException.invalidField("meters", "keys must be meter names with their terms");
            }
            meters.put(meter, terms);
        });
        return meters;
    }

    static void requireOperator(TenantContext context) {
        if (!context.operatorMode()) {
            throw ProblemException.forbidden("operator-only", "Only platform operators may do this.");
        }
    }
}
