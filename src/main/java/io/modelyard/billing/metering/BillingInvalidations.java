package io.modelyard.billing.metering;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.CommitNotifications;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.PostgresListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Keeps every instance's billing memory honest: a plan edit, a tenant's plan change or a credit grant sends a
 * PostgreSQL notification from inside its transaction (delivered on commit) and evicts locally after commit;
 * every API instance listens and evicts too, so rate limits, remembered refusals and quota leases (returned, to be
 * taken again under the new terms) follow at once.
 */
@ApplicationScoped
public class BillingInvalidations implements PostgresListener.Handler {

    static final String CHANNEL = "modelyard_billing";

    private final CommitNotifications notifications;
    private final PlatformConfig platform;
    private final Plans plans;
    private final ExhaustedQuotas exhausted;
    private final QuotaLeases leases;
    private final PostgresListener listener;

    BillingInvalidations(CommitNotifications notifications, AgroalDataSource dataSource, PlatformConfig platform,
            Plans plans, ExhaustedQuotas exhausted, QuotaLeases leases) {
        this.notifications = notifications;
        this.platform = platform;
        this.plans = plans;
        this.exhausted = exhausted;
        this.leases = leases;
        // one connection for both: plan and credit changes, and quota leases asked for or given back
        this.listener = new PostgresListener(dataSource, "billing-invalidations",
                List.of(CHANNEL, QuotaLeases.CHANNEL), 5_000, this);
    }

    /** Call inside the transaction that edits a plan. */
    public void plansChanged() {
        announce("plans");
    }

    /** Call inside the transaction that changes a tenant's plan or grants it credits. */
    public void tenantChanged(String tenantId) {
        announce("tenant:" + tenantId);
    }

    private void announce(String what) {
        notifications.send(CHANNEL, what, () -> evict(what));
    }

    private void evict(String what) {
        if (what.equals("plans")) {
            plans.forgetAll();
            exhausted.forgetAll();
            leases.forgetAll();
        } else if (what.startsWith("tenant:")) {
            plans.forget(what.substring(7));
            exhausted.forget(what.substring(7));
            leases.forget(what.substring(7));
        }
    }

    private void evictAll() {
        plans.forgetAll();
        exhausted.forgetAll();
    }

    @Override
    public void connected() {
        evictAll();
        leases.reconnected();
    }

    @Override
    public void lost() {
        evictAll();
    }

    @Override
    public void notified(String channel, String payload) {
        if (QuotaLeases.CHANNEL.equals(channel)) {
            leases.notified(payload);
        } else {
            evict(payload);
        }
    }

    void start(@Observes StartupEvent event) {
        if (platform.role().servesPublicApi()) {
            listener.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }
}
