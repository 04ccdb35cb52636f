package io.modelyard.billing.metering;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.common.TypedId;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Hard quotas on the request path, from memory. For each tenant, meter and period this process holds a lease: a
 * block of the quota's allowance taken from its counter in one short transaction ({@code quota_lease_take}).
 * Requests are admitted from the block without the database; when it runs low the next block is fetched in the
 * background, sized to the tenant's recent demand here, so a small tenant holds little and a busy one rarely
 * waits. What a lease does not use goes back when it idles, when another process is refused for want of it (a
 * notification asks), when the plan changes, and on shutdown; a lease whose process died is reclaimed once it
 * expires, counting what its events in the ledger hold. Since the counter hands out no more than the limit, the
 * usage admitted across all processes never passes it.
 *
 * <p>All database work runs on the {@link BillingThread}, one statement at a time ({@link LeaseStore}).
 */
@ApplicationScoped
class QuotaLeases {

    private static final Logger LOG = Logger.getLogger(QuotaLeases.class);
    static final String CHANNEL = "modelyard_quota";

    /**
     * What admitting usage came to.
     *
     * @param leaseId the lease it was admitted under (null: the meter has no hard quota)
     */
    record Admission(LeaseSlot slot, String leaseId, BigDecimal quantity, QuotaExceeded refusal) {

        boolean admitted() {
            return refusal == null;
        }
    }

    private final BillingConfig config;
    private final ExhaustedQuotas exhausted;
    private final LeaseStore store;
    private final String owner = ownerId();
    private final ConcurrentHashMap<String, LeaseSlot> slots = new ConcurrentHashMap<>();
    private final BillingThread thread;
    private final long validNanos;
    private volatile boolean heartbeating;

    QuotaLeases(BillingThread thread, BillingConfig config, ExhaustedQuotas exhausted) {
        this.config = config;
        this.exhausted = exhausted;
        this.thread = thread;
        this.store = new LeaseStore(thread.connection());
        // Used locally for two thirds of its life: renewals come every third, so one may fail unnoticed.
        this.validNanos = config.leaseTtl().toNanos() * 2 / 3;
    }

    /**
     * Admits {@code quantity} of {@code meter} for the tenant this period: at once from the lease when it covers
     * it, else once the next block is taken. Fails (exceptionally) only when the database cannot be reached.
     */
    CompletionStage<Admission> admit(String tenantId, Meter meter, Period period, BigDecimal quantity) {
        LeaseSlot slot = slots.computeIfAbsent(key(tenantId, meter, period),
                k -> new LeaseSlot(tenantId, meter, period));
        return admit(slot, quantity);
    }

    private CompletionStage<Admission> admit(LeaseSlot slot, BigDecimal quantity) {
        long now = System.nanoTime();
        Object[] found = new Object[1];
        switch (slot.tryAdmit(quantity, now, validNanos, found)) {
            case ADMITTED -> {
                if (slot.prefetchDue(now, validNanos, config.leaseBlock().toNanos() / 1e9)) {
                    take(slot, BigDecimal.ZERO);
                }
                return CompletableFuture.completedFuture(new Admission(slot, (String) found[0], quantity, null));
            }
            case FREE -> {
                LOG.debugf("Admitted %s of %s for tenant %s without a lease (no hard quota)", quantity,
                        slot.meter.wireName(), slot.tenantId);
                return CompletableFuture.completedFuture(new Admission(slot, null, quantity, null));
            }
            case REFUSED -> {
                return CompletableFuture.completedFuture(new Admission(slot, null, quantity,
                        (QuotaExceeded) found[0]));
            }
            default -> {
                return take(slot, quantity).thenCompose(v -> afterTake(slot, quantity));
            }
        }
    }

    private CompletionStage<Admission> afterTake(LeaseSlot slot, BigDecimal quantity) {
        return admit(slot, quantity);
    }

    /** Gives back an admission whose request failed (nothing was written under it). */
    void giveBack(Admission admission) {
        if (admission != null && admission.admitted() && admission.leaseId() != null) {
            admission.slot().giveBack(admission.leaseId(), admission.quantity());
        }
    }

    private CompletableFuture<Void> take(LeaseSlot slot, BigDecimal quantity) {
        Object[] plan = new Object[3];
        long now = System.nanoTime();
        CompletableFuture<Void> inFlight = slot.takeInFlight(quantity, now, validNanos,
                config.leaseBlock().toNanos() / 1e9, plan);
        if (plan[1] == null) {
            return inFlight;
        }
        ensureHeartbeat();
        String asked = (String) plan[0];
        BigDecimal need = (BigDecimal) plan[1];
        BigDecimal want = (BigDecimal) plan[2];
        String fresh = asked == null ? TypedId.generate("qls") : asked;
        thread.execute(() -> {
            CompletableFuture<Void> done;
            try {
                LeaseStore.Grant grant = store.take(fresh, asked == null, slot.tenantId, slot.meter, slot.period,
                        owner, need, want, config.leaseTtl().toMillis());
                if (!grant.hard()) {
                    LOG.debugf("Tenant %s has no hard %s quota: admitted without a lease", slot.tenantId,
                            slot.meter.wireName());
                }
                done = slot.taken(asked, fresh, grant, need, System.nanoTime(),
                        config.planCacheTtl().toNanos(), config.exhaustedQuotaMemory().toNanos());
                QuotaExceeded refusal = slot.refusal();
                if (refusal != null && grant.hard() && grant.granted().signum() == 0 && need.signum() > 0) {
                    // others refuse from memory before the filter chain even reaches the lease
                    exhausted.remember(refusal);
                }
            } catch (Exception e) {
                LOG.warnf("Could not take a quota lease for tenant %s (%s): %s", slot.tenantId,
                        slot.meter.wireName(), e.getMessage());
                slot.failed().completeExceptionally(e);
                return;
            }
            done.complete(null);
        });
        return inFlight;
    }

    /** Returns every lease of this process (shutdown), after the ledger writers have drained. */
    void stop(@Observes @Priority(20) ShutdownEvent event) {
        CompletableFuture<Void> returned = new CompletableFuture<>();
        thread.execute(() -> {
            giveBackNow(new ArrayList<>(slots.values()));
            returned.complete(null);
        });
        try {
            returned.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not return the quota leases on shutdown; they are reclaimed once they expire", e);
        }
    }

    /** The tenant's plan or credits changed: return its leases, forget what was learned of its quotas. */
    void forget(String tenantId) {
        List<LeaseSlot> mine = slots.values().stream().filter(s -> s.tenantId.equals(tenantId)).toList();
        mine.forEach(LeaseSlot::forgetRefusal);
        thread.execute(() -> giveBackNow(mine));
    }

    /** Every plan may have changed. */
    void forgetAll() {
        List<LeaseSlot> all = new ArrayList<>(slots.values());
        all.forEach(LeaseSlot::forgetRefusal);
        thread.execute(() -> giveBackNow(all));
    }

    /** Notifications may have been missed: refusals learned before may be stale. */
    void reconnected() {
        slots.values().forEach(LeaseSlot::forgetRefusal);
    }

    /**
     * A notification on {@link #CHANNEL} (heard by {@link BillingInvalidations}' listener): another process
     * needs allowance we may hold ({@code need|tenant|meter|period}), or returned some ({@code freed|...}).
     */
    void notified(String payload) {
        String[] parts = payload.split("\\|");
        if (parts.length == 4 && parts[0].equals("freed")) {
            LeaseSlot slot = slots.get(parts[1] + "|" + parts[2] + "|" + parts[3]);
            if (slot != null) {
                slot.forgetRefusal();
            }
            exhausted.forget(parts[1], Meter.fromWire(parts[2]));
        } else if (parts.length == 4 && parts[0].equals("need")) {
            LeaseSlot slot = slots.get(parts[1] + "|" + parts[2] + "|" + parts[3]);
            if (slot != null && slot.openLease() != null) {
                thread.execute(() -> giveBackNow(List.of(slot)));
            }
        }
    }

    private void ensureHeartbeat() {
        if (!heartbeating) {
            synchronized (this) {
                if (!heartbeating) {
                    long every = Math.max(100, config.leaseTtl().toMillis() / 3);
                    thread.every(every, this::heartbeat);
                    heartbeating = true;
                }
            }
        }
    }

    /** On the lease thread: renews open leases, returns idle ones, forgets slots long unused. */
    private void heartbeat() {
        try {
            long now = System.nanoTime();
            long idle = config.leaseIdle().toNanos();
            List<LeaseSlot> idleSlots = new ArrayList<>();
            List<String> open = new ArrayList<>();
            for (LeaseSlot slot : slots.values()) {
                String lease = slot.openLease();
                if (lease != null && now - slot.lastUsedAt() > idle) {
                    idleSlots.add(slot);
                } else if (lease != null) {
                    open.add(lease);
                } else if (slot.idle() && now - slot.lastUsedAt() > idle * 30) {
                    slots.remove(key(slot.tenantId, slot.meter, slot.period), slot);
                }
            }
            giveBackNow(idleSlots);
            Set<String> stillOpen = store.renew(open, config.leaseTtl().toMillis());
            for (LeaseSlot slot : slots.values()) {
                String lease = slot.openLease();
                if (lease != null && open.contains(lease)) {
                    if (stillOpen.contains(lease)) {
                        slot.renewed(lease, now);
                    } else {
                        LOG.warnf("Quota lease %s was reclaimed while this process held it", lease);
                        slot.lost(lease);
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("Could not renew quota leases; they stop being used before they expire", e);
        }
    }

    /** On the lease thread: returns the slots' open leases in one statement. */
    private void giveBackNow(List<LeaseSlot> from) {
        List<String> ids = new ArrayList<>();
        List<BigDecimal> consumed = new ArrayList<>();
        for (LeaseSlot slot : from) {
            Object[] lease = slot.detach();
            if (lease != null) {
                ids.add((String) lease[0]);
                consumed.add((BigDecimal) lease[1]);
            }
        }
        try {
            store.giveBack(ids, consumed);
        } catch (Exception e) {
            LOG.warnf("Could not return %d quota leases; they are reclaimed once they expire: %s", ids.size(),
                    e.getMessage());
        }
    }

    private static String key(String tenantId, Meter meter, Period period) {
        return tenantId + "|" + meter.wireName() + "|" + period.startDate();
    }

    private static String ownerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "api";
            }
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
