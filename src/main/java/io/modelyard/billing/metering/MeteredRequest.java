package io.modelyard.billing.metering;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Usage;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.TypedId;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.RequestScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage of the current HTTP request, charged when its response is ready: {@code api_requests} for a request
 * of a tenant's API key or person, plus whatever the endpoint {@link #add adds} (e.g. {@code predictions},
 * quantity = number of model passes). All of it is admitted and recorded together or not at all; nothing is
 * charged for a failed response (4xx/5xx) or for an idempotent replay ({@code Idempotent-Replayed: true}).
 */
@RequestScoped
public class MeteredRequest {

    private final ExhaustedQuotas exhausted;
    private final TenantContext context;
    private final PlatformClock clock;
    private final String id = TypedId.generate("req");
    private final List<Usage> added = new ArrayList<>();
    private boolean meteredCaller;
    private QuotaLeases.Admission held;
    private RateLimiter.Decision rateLimit;
    private boolean answered;

    MeteredRequest(ExhaustedQuotas exhausted, TenantContext context, PlatformClock clock) {
        this.exhausted = exhausted;
        this.context = context;
        this.clock = clock;
    }

    /**
     * Adds {@code quantity} of {@code meter} to this request's charge, with an idempotency key derived from the
     * request (unique per request).
     *
     * @param modelId the model concerned, or null
     */
    public void add(Meter meter, long quantity, String modelId) {
        add(Usage.of(meter, quantity, meter.wireName() + ":" + id).withModel(modelId));
    }

    /** Adds a usage with the caller's own idempotency key (a replayed key is charged once, ever). */
    public void add(Usage usage) {
        added.add(usage);
    }

    /**
     * Refuses now, before any work, when this tenant's hard quota for {@code meter} was found exhausted moments
     * ago. A fast path only: the charge after the response is what decides.
     *
     * @throws io.modelyard.common.ProblemException 402 {@code quota-exceeded}
     */
    public void requireQuota(Meter meter) {
        if (!exhausted.enforced()) {
            return;
        }
        String tenantId = context.requireTenant();
        exhausted.check(tenantId, meter, Period.of(clock.now())).ifPresent(refusal -> {
            throw refusal.toProblem();
        });
    }

    /** This request's own key, for idempotency keys of what it causes: unique per request. */
    public String requestKey() {
        return id;
    }

    List<Usage> added() {
        return added;
    }

    /** Whether this is a request of a tenant's API key or person (metered and rate-limited). */
    boolean meteredCaller() {
        return meteredCaller;
    }

    void markMeteredCaller() {
        this.meteredCaller = true;
    }

    /** The {@code api_requests} unit a state-changing request was admitted before it ran, or null. */
    QuotaLeases.Admission held() {
        return held;
    }

    void hold(QuotaLeases.Admission admission) {
        this.held = admission;
    }

    RateLimiter.Decision rateLimit() {
        return rateLimit;
    }

    void rateLimited(RateLimiter.Decision decision) {
        this.rateLimit = decision;
    }

    /** The request filter already answered (429, 402): the response filter has nothing to charge. */
    boolean answered() {
        return answered;
    }

    void markAnswered() {
        this.answered = true;
    }
}
