package io.modelyard.billing;

import io.modelyard.common.Idempotency;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.Problem;
import io.modelyard.common.ProblemException;
import io.modelyard.common.ProblemResponses;
import io.modelyard.common.PublicApiPaths;
import io.modelyard.common.TypedId;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Rate limits, quotas and metering on the request path.
 *
 * <p>Before the endpoint runs (API-key requests under /v1, and the inference protocol's /v2): the key's and the tenant's token buckets (429), a
 * hard quota known to be spent (402), and — for operations that change state (POST, PUT, PATCH, DELETE) — a
 * reservation of one {@code api_requests} unit, so that a state change is never made and then refused.
 *
 * <p>After it ran: a successful response (2xx, not an idempotent replay) is charged — {@code api_requests}
 * plus what the endpoint added to {@link MeteredRequest} — through the group-commit {@link UsageWriter}; the
 * response leaves only once the usage is committed. A reserved request settles its reservation into usage; a
 * failed one releases it. A GET (or a {@link ChargedOnSuccess} operation) is admitted at this point and, if a
 * hard quota refuses, answered 402 instead of its result.
 */
public class MeteringFilters {

    private static final Logger LOG = Logger.getLogger(MeteringFilters.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

    private final TenantContext context;
    private final MeteredRequest metered;
    private final TenantPlans tenantPlans;
    private final RateLimiter rateLimiter;
    private final ExhaustedQuotas exhausted;
    private final RefusalAudits refusalAudits;
    private final UsageWriter writer;
    private final PlatformClock clock;
    private final BillingConfig config;

    MeteringFilters(TenantContext context, MeteredRequest metered, TenantPlans tenantPlans, RateLimiter rateLimiter,
            ExhaustedQuotas exhausted, RefusalAudits refusalAudits, UsageWriter writer, PlatformClock clock,
            BillingConfig config) {
        this.context = context;
        this.metered = metered;
        this.tenantPlans = tenantPlans;
        this.rateLimiter = rateLimiter;
        this.exhausted = exhausted;
        this.refusalAudits = refusalAudits;
        this.writer = writer;
        this.clock = clock;
        this.config = config;
    }

    /** Runs after the tenant is resolved ({@code TenantResolutionFilter} has the default priority). */
    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Uni<Response> admit(ContainerRequestContext request, ResourceInfo resource) {
        String path = request.getUriInfo().getPath();
        Actor actor = context.actorIfKnown().orElse(null);
        if (!PublicApiPaths.isPublicApi(path) || actor == null || actor.type() != Actor.Type.API_KEY) {
            return Uni.createFrom().nullItem();
        }
        String tenantId = usableTenant();
        if (tenantId == null) {
            return Uni.createFrom().nullItem();
        }
        metered.markApiKeyRequest();
        if (config.rateLimitsEnabled()) {
            Plan plan = tenantPlans.planOfCurrentTenant(tenantId).orElse(null);
            if (plan != null) {
                RateLimiter.Decision decision = rateLimiter.acquire(tenantId, actor.id(), plan.rateLimits());
                metered.rateLimited(decision);
                if (!decision.allowed()) {
                    return answer(tooManyRequests(decision), path);
                }
            }
        }
        if (!config.meteringEnabled() || !config.quotasEnabled()) {
            return Uni.createFrom().nullItem();
        }
        Instant now = clock.now();
        QuotaExceeded known = exhausted.check(tenantId, Meter.API_REQUESTS, Period.of(now)).orElse(null);
        if (known != null) {
            refusalAudits.counted(tenantId, Meter.API_REQUESTS);
            return answer(known.toProblem(), path);
        }
        if (SAFE_METHODS.contains(request.getMethod()) || chargedOnSuccess(resource)) {
            return Uni.createFrom().nullItem();
        }
        String reservationId = TypedId.generate("rsv");
        Charge hold = new Charge(tenantId, Origin.of(context), now, List.of(),
                List.of(new Charge.Hold(reservationId, "request:" + metered.requestKey(), Meter.API_REQUESTS,
                        java.math.BigDecimal.ONE, now.plus(config.requestReservationTtl()))),
                List.of(), true, false, new CompletableFuture<>());
        return await(writer.submit(hold)).map(outcome -> {
            if (!outcome.accepted()) {
                metered.markAnswered();
                return ProblemResponses.of(outcome.refusal().toProblem(), path);
            }
            metered.reserved(reservationId);
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
        boolean success = response.getStatus() >= 200 && response.getStatus() < 300
                && !"true".equals(response.getHeaderString(Idempotency.REPLAYED_HEADER));
        List<Usage> usages = new ArrayList<>();
        if (success && metered.apiKeyRequest()) {
            usages.add(Usage.of(Meter.API_REQUESTS, 1, "api_request:" + metered.requestKey()));
        }
        if (success) {
            usages.addAll(metered.added());
        }
        String reservationId = metered.reservationId();
        if (usages.isEmpty() && reservationId == null) {
            return Uni.createFrom().voidItem();
        }
        String tenantId = usableTenant();
        if (tenantId == null) {
            return Uni.createFrom().voidItem();
        }
        boolean checked = reservationId == null;
        Charge charge = new Charge(tenantId, Origin.of(context), clock.now(), usages, List.of(),
                reservationId == null ? List.of() : List.of(reservationId), checked, !metered.added().isEmpty(),
                new CompletableFuture<>());
        String path = request.getUriInfo().getPath();
        return await(writer.submit(charge)).invoke(outcome -> {
            if (!outcome.accepted()) {
                replace(response, ProblemResponses.of(outcome.refusal().toProblem(), path));
            }
        }).onFailure().invoke(failure -> {
            LOG.errorf(failure, "Usage of a %s response could not be committed", success ? "successful" : "failed");
            if (success) {
                replace(response, ProblemResponses.of(meteringUnavailable(), path));
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
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
     * Waits for the writer without holding a thread, and resumes on the request's own Vert.x context rather
     * than on the writer's thread (which must go back to writing at once).
     */
    private <T> Uni<T> await(CompletableFuture<T> future) {
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
