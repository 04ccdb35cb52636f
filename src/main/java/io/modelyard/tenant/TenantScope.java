package io.modelyard.tenant;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Runs background work (a job on a worker thread, a scheduled sweep) inside a tenant, the way a request would
 * be: the tenant id travels with the work as data and is set here explicitly, never read from a request
 * scope the thread does not have.
 */
@ApplicationScoped
public class TenantScope {

    /** Runs {@code work} as {@code actor} inside {@code tenantId}, in a fresh request context. */
    public <T> T call(String tenantId, Actor actor, Callable<T> work) {
        return inFreshContext(context -> context.establishForTenant(actor, tenantId, TenantStatus.ACTIVE, null,
                List.of(), null), work);
    }

    /** Runs platform-wide maintenance (sweepers, metering) that must see every tenant's rows. */
    public <T> T callAsPlatform(String what, Callable<T> work) {
        return inFreshContext(context -> {
            context.establishWithoutTenant(Actor.system(what), TenantContext.Absence.ANONYMOUS, List.of(), null);
            context.enterOperatorMode();
        }, work);
    }

    public void run(String tenantId, Actor actor, Runnable work) {
        call(tenantId, actor, () -> {
            work.run();
            return null;
        });
    }

    private static <T> T inFreshContext(java.util.function.Consumer<TenantContext> setUp, Callable<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        // A caller already inside a request (a test, a request spawning work) gets its own context back after.
        io.quarkus.arc.InjectableContext.ContextState outer = null;
        if (requestContext.isActive()) {
            outer = requestContext.getState();
            requestContext.deactivate();
        }
        requestContext.activate();
        try {
            setUp.accept(Arc.container().instance(TenantContext.class).get());
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            requestContext.terminate();
            if (outer != null) {
                requestContext.activate(outer);
            }
        }
    }
}
