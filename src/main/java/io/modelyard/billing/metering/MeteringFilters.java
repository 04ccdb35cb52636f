package io.modelyard.billing.metering;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import io.modelyard.billing.Usage;
import io.modelyard.billing.ledger.Append;
import io.modelyard.billing.ledger.Origin;
import io.modelyard.billing.ledger.UsageWriter;
import io.modelyard.billing.plans.Plan;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.Idempotency;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.Problem;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemResponses;
import io.modelyard.common.PublicApiPaths;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Rate limits, quotas and metering on the request path, for every request of a tenant's API key or person
 * under /v1 and the inference protocol's /v2. Nothing here waits on a locked row.
 *
 * <p>Before the endpoint runs: the key's (or person's) and the tenant's shared token buckets (429), a hard
 * quota known to be spent (402), and — for operations that change state (POST, PUT, PATCH, DELETE) — one
 * {@code api_requests} unit admitted from this process's quota lease, so that a state change is never made and
 * then refused.
 *
 * <p>After it ran: a successful response (2xx, not an idempotent replay) is charged — {@code api_requests} plus
 * what the endpoint added to {@link MeteredRequest} — each hard-quota meter admitted from its lease (a GET, or a
 * {@link ChargedOnSuccess} operation, answers 402 instead of its result when refused), and appended to the ledger
 * by the {@link UsageWriter}: in {@code durable} mode the response leaves once the append committed, in
 * {@code buffered} mode at once. A failed response gives back what it held.
 */
public class MeteringFilters {

    private static final Logger LOG = Logger.getLogger(MeteringFilters.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

    private final TenantContext context;
    private final MeteredRequest metered;
    private final Plans plans;
    private final RateLimiter rateLimiter;
    private final ExhaustedQuotas exhausted;
    private final RefusalAudits refusalAudits;
    private final QuotaLeases leases;
    private final UsageWriter writer;
    private final PlatformClock clock;
    private final BillingConfig config;

    MeteringFilters(TenantContext context, MeteredRequest metered, Plans plans, RateLimiter rateLimiter,
            ExhaustedQuotas exhausted, RefusalAudits refusalAudits, QuotaLeases leases, UsageWriter writer,
            PlatformClock clock, BillingConfig config) {
        this.context = context;
        this.metered = metered;
        this.plans = plans;
        this.rateLimiter = rateLimiter;
        this.exhausted = exhausted;
        this.refusalAudits = refusalAudits;
        this.leases = leases;
        this.writer = writer;
        this.clock = clock;
        this.config = config;
    }

    /** Runs after the tenant is resolved ({@code TenantResolutionFilter} has the default priority). */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> admit(ContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        Actor actor = context.actorIfKnown().orElse(null);
        if (!PublicApiPaths.isPublicApi(path) || !metered(actor)) {
            return Uni.createFrom().nullItem();
        }
        String tenantId = usableTenant();
        if (tenantId == null) {
            return Uni.createFrom().nullItem();
        }
        metered.markMeteredCaller();
        boolean holdFirst = !SAFE_METHODS.contains(request.getMethod()) && !chargedOnSuccess(resource);
        Plan plan = config.rateLimitsEnabled() ? plans.ofTenant(tenantId).orElse(null) : null;
        if (plan == null) {
            return quotas(tenantId, holdFirst, path);
        }
        String subject = (actor.type() == Actor.Type.API_KEY ? "k:" : "u:") + actor.id();
        return await(rateLimiter.acquire(tenantId, subject, plan.rateLimits())).flatMap(decision -> {
            metered.rateLimited(decision);
            if (!decision.allowed()) {
                return answer(tooManyRequests(decision), path);
            }
            return quotas(tenantId, holdFirst, path);
        });
    }

    private Uni<Response> quotas(String tenantId, boolean holdFirst, String path) {
        if (!config.meteringEnabled() || !config.quotasEnabled()) {
            return Uni.createFrom().nullItem();
        }
        Instant now = clock.now();
        Period period = Period.of(now);
        QuotaExceeded known = exhausted.check(tenantId, Meter.API_REQUESTS, period).orElse(null);
        if (known != null) {
            refusalAudits.counted(tenantId, Meter.API_REQUESTS);
            return answer(known.toProblem(), path);
        }
        if (!holdFirst) {
            return Uni.createFrom().nullItem();
        }
        Origin origin = Origin.of(context);
        return await(leases.admit(tenantId, Meter.API_REQUESTS, period, BigDecimal.ONE)).map(admission -> {
            if (!admission.admitted()) {
                refused(tenantId, origin, admission.refusal());
                metered.markAnswered();
                return ProblemResponses.of(admission.refusal().toProblem(), path);
            }
            metered.hold(admission);
            return (Response) null;
        }).onFailure().recoverWithItem(failure -> {
            metered.markAnswered();
            return ProblemResponses.of(meteringUnavailable(), path);
        });
    }

    @ServerResponseFilter
    public Uni<Void> charge(ContainerRequestContext request, ContainerResponseContext response) {
        RateLimiter.Decision rate = metered.rateLimit();
        if (rate != null && !response.getHeaders().containsKey("RateLimit-Limit")) {
            rateLimitHeaders(rate).forEach((name, value) -> response.getHeaders().putSingle(name, value));
        }
        if (metered.answered() || !config.meteringEnabled()) {
            return Uni.createFrom().voidItem();
        }
        QuotaLeases.Admission held = metered.held();
        boolean success = response.getStatus() >= 200 && response.getStatus() < 300
                && !"true".equals(response.getHeaderString(Idempotency.REPLAYED_HEADER));
        if (!success) {
            leases.giveBack(held);
            return Uni.createFrom().voidItem();
        }
        List<Usage> usages = new ArrayList<>();
        if (metered.meteredCaller()) {
            usages.add(Usage.of(Meter.API_REQUESTS, 1, "api_request:" + metered.requestKey()));
        }
        usages.addAll(metered.added());
        String tenantId = usages.isEmpty() ? null : usableTenant();
        if (tenantId == null) {
            return Uni.createFrom().voidItem();
        }
        Instant at = clock.now();
        Origin origin = Origin.of(context);
        String path = request.getUriInfo().getPath();
        return await(admitAll(tenantId, Period.of(at), usages, held)).flatMap(admitted -> {
            if (admitted.refusal != null) {
                refused(tenantId, origin, admitted.refusal);
                replace(response, ProblemResponses.of(admitted.refusal.toProblem(), path));
                return Uni.createFrom().voidItem();
            }
            // Buffered answers leave at once unless the writers are behind their window: then they wait as
            // durable ones do (back-pressure), which bounds both the queue and what a crash can lose.
            boolean behind = writer.behind();
            CompletableFuture<Append.Result> written = writer.submit(Append.of(tenantId, origin, at, admitted.entries));
            if (config.durability() == BillingConfig.Durability.BUFFERED && !behind) {
                written.whenComplete((result, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "Buffered usage of tenant %s could not be written", tenantId);
                    }
                });
                return Uni.createFrom().voidItem();
            }
            return await(written).invoke(result -> {
                if (result != Append.Result.WRITTEN) {
                    replace(response, ProblemResponses.of(meteringUnavailable(), path));
                }
            }).replaceWithVoid();
        }).onFailure().invoke(failure -> {
            LOG.errorf(failure, "Usage of a successful response could not be committed");
            replace(response, ProblemResponses.of(meteringUnavailable(), path));
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The ledger entries of a response, or the refusal of one of them (then nothing is kept). */
    private record Admitted(List<Append.Entry> entries, QuotaExceeded refusal) {
    }

    /** Admits each usage from its lease, one after the other; a refusal gives back what was admitted before it. */
    private CompletionStage<Admitted> admitAll(String tenantId, Period period, List<Usage> usages,
            QuotaLeases.Admission held) {
        List<Append.Entry> entries = new ArrayList<>(usages.size());
        List<QuotaLeases.Admission> taken = new ArrayList<>(usages.size());
        CompletionStage<QuotaExceeded> chain = CompletableFuture.completedFuture(null);
        for (Usage usage : usages) {
            chain = chain.thenCompose(refusal -> {
                if (refusal != null) {
                    return CompletableFuture.completedFuture(refusal);
                }
                if (held != null && usage.meter() == Meter.API_REQUESTS && usage.quantity().signum() > 0
                        && entries.stream().noneMatch(e -> e.usage().meter() == Meter.API_REQUESTS)) {
                    entries.add(new Append.Entry(usage, held.leaseId()));
                    return CompletableFuture.completedFuture(null);
                }
                if (!config.quotasEnabled()) {
                    entries.add(new Append.Entry(usage, null));
                    return CompletableFuture.completedFuture(null);
                }
                return leases.admit(tenantId, usage.meter(), period, usage.quantity()).thenApply(admission -> {
                    if (!admission.admitted()) {
                        return admission.refusal();
                    }
                    taken.add(admission);
                    entries.add(new Append.Entry(usage, admission.leaseId()));
                    return null;
                });
            });
        }
        return chain.thenApply(refusal -> {
            if (refusal == null) {
                return new Admitted(entries, null);
            }
            taken.forEach(leases::giveBack);
            leases.giveBack(held);
            return new Admitted(List.of(), refusal);
        });
    }

    private void refused(String tenantId, Origin origin, QuotaExceeded refusal) {
        exhausted.remember(refusal);
        refusalAudits.audit(tenantId, origin, refusal);
    }

    private static boolean metered(Actor actor) {
        return actor != null && (actor.type() == Actor.Type.API_KEY || actor.type() == Actor.Type.USER);
    }

    private Uni<Response> answer(ProblemException problem, String path) {
        metered.markAnswered();
        Response refused = ProblemResponses.of(problem, path);
        RateLimiter.Decision rate = metered.rateLimit();
        if (rate != null) {
            Response.ResponseBuilder builder = Response.fromResponse(refused);
            rateLimitHeaders(rate).forEach((name, value) -> {
                if (refused.getHeaderString(name) == null) {
                    builder.header(name, value);
                }
            });
            return Uni.createFrom().item(builder.build());
        }
        return Uni.createFrom().item(refused);
    }

    /**
     * Waits for a future without holding a thread, and resumes on the request's own Vert.x context rather than
     * on the thread that completed it (the lease or writer thread, which must go back to work at once). A future
     * already complete — the common case: tokens and allowance held in memory — continues right here.
     */
    private <T> Uni<T> await(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return Uni.createFrom().item(future.join());
        }
        Context vertx = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> future.whenComplete((value, failure) -> {
            Runnable deliver = () -> {
                if (failure != null) {
                    emitter.fail(failure);
                } else {
                    emitter.complete(value);
                }
            };
            if (vertx != null) {
                vertx.runOnContext(v -> deliver.run());
            } else {
                deliver.run();
            }
        }));
    }

    private String usableTenant() {
        try {
            return context.requireTenant();
        } catch (ProblemException e) {
            return null;
        }
    }

    private static boolean chargedOnSuccess(ResourceInfo resource) {
        return resource != null && resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(ChargedOnSuccess.class)
                        || resource.getResourceClass().isAnnotationPresent(ChargedOnSuccess.class));
    }

    private static void replace(ContainerResponseContext response, Response problem) {
        response.getHeaders().remove("Location");
        response.getHeaders().remove(Idempotency.REPLAYED_HEADER);
        response.getHeaders().remove("ETag");
        problem.getHeaders().forEach((name, values) -> response.getHeaders().put(name, new ArrayList<>(values)));
        response.setStatus(problem.getStatus());
        response.setEntity(problem.getEntity(), NO_ANNOTATIONS, MediaType.valueOf(Problem.MEDIA_TYPE));
    }

    static ProblemException tooManyRequests(RateLimiter.Decision decision) {
        ProblemException problem = new ProblemException(429, "rate-limited", "Too many requests",
                "The rate limit of your plan is exhausted for now (" + decision.limit() + " requests in a burst); "
                        + "retry after " + decision.retryAfter() + " s.",
                Map.of("retry_after", decision.retryAfter()), Map.of());
        return problem.withHeader("Retry-After", Long.toString(decision.retryAfter()));
    }

    static Map<String, String> rateLimitHeaders(RateLimiter.Decision decision) {
        return Map.of("RateLimit-Limit", Integer.toString(decision.limit()),
                "RateLimit-Remaining", Integer.toString(decision.remaining()),
                "RateLimit-Reset", Long.toString(decision.reset()));
    }

    private static ProblemException meteringUnavailable() {
        return new ProblemException(503, "metering-unavailable", "Service unavailable",
                "Usage could not be recorded, so the request was not served; retry shortly.")
                .withHeader("Retry-After", "1");
    }
}
