package io.modelyard.billing;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quota refusals go to the audit log, but a client looping on a spent quota must not flood it: at most one
 * record per tenant and meter per interval, carrying how many refusals it stands for.
 */
@ApplicationScoped
class RefusalAudits {

    private static final class Window {
        long openedAt;
        long refusals;
    }

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private final long intervalNanos;

    RefusalAudits(BillingConfig config) {
        this.intervalNanos = config.refusalAuditInterval().toNanos();
    }

    /** Counts a refusal; returns how many refusals to audit now (0: stay quiet, it is counted for later). */
    long refused(String tenantId, Meter meter) {
        Window window = windows.computeIfAbsent(tenantId + "|" + meter.wireName(), k -> new Window());
        synchronized (window) {
            long now = System.nanoTime();
            window.refusals++;
            if (window.openedAt != 0 && now - window.openedAt < intervalNanos) {
                return 0;
            }
            long count = window.refusals;
            window.openedAt = now;
            window.refusals = 0;
            return count;
        }
    }

    /** Counts a refusal made from memory; the next audited refusal carries it. */
    void counted(String tenantId, Meter meter) {
        Window window = windows.computeIfAbsent(tenantId + "|" + meter.wireName(), k -> new Window());
        synchronized (window) {
            window.refusals++;
        }
    }
}
