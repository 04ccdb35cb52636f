package io.modelyard.billing.metering;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hard quotas recently found exhausted, so that a client hammering a spent quota is refused from memory rather
 * than by a database round trip (and, for predictions, before the model runs). Only a shortcut for refusing:
 * admissions are always decided by a lease or against the locked counter row. Forgotten after a short while, and
 * at once when credits or a plan change may have raised the limit, or another process returned allowance.
 */
@ApplicationScoped
class ExhaustedQuotas {

    private record Known(QuotaExceeded refusal, long until) {
    }

    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private final long memoryNanos;
    private final boolean enforced;

    ExhaustedQuotas(BillingConfig config) {
        this.memoryNanos = config.exhaustedQuotaMemory().toNanos();
        this.enforced = config.quotasEnabled();
    }

    /**
     * Whether hard quotas are enforced at all ({@code modelyard.billing.quotas-enabled}). Read once here: the
     * request-scoped {@link MeteredRequest} asks on every request, and a config mapping injected into a
     * request-scoped bean is looked up again for each instance.
     */
    boolean enforced() {
        return enforced;
    }

    Optional<QuotaExceeded> check(String tenantId, Meter meter, Period period) {
        Known entry = known.get(key(tenantId, meter, period));
        if (entry == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - entry.until > 0) {
            known.remove(key(tenantId, meter, period), entry);
            return Optional.empty();
        }
        return Optional.of(entry.refusal);
    }

    void remember(QuotaExceeded refusal) {
        known.put(key(refusal.tenantId(), refusal.meter(), Period.of(refusal.resetsAt().minusSeconds(1))),
                new Known(refusal, System.nanoTime() + memoryNanos));
    }

    void forget(String tenantId) {
        known.keySet().removeIf(k -> k.startsWith(tenantId + "|"));
    }

    void forget(String tenantId, Meter meter) {
        known.keySet().removeIf(k -> k.startsWith(tenantId + "|" + meter.wireName() + "|"));
    }

    void forgetAll() {
        known.clear();
    }

    private static String key(String tenantId, Meter meter, Period period) {
        return tenantId + "|" + meter.wireName() + "|" + period;
    }
}
