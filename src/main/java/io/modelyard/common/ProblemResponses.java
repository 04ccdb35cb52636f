package io.modelyard.common;

import jakarta.ws.rs.core.Response;
import org.jboss.logging.MDC;

/** Builds problem+json responses; shared by the JAX-RS mappers and the HTTP-layer failure handler. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(ProblemException e, String instance) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(withRequestId(Problem.of(e, instance)));
        e.headers().forEach(response::header);
        return response.build();
    }

    static Problem withRequestId(Problem problem) {
        Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId == null || problem.extensions().containsKey("request_id")) {
            return problem;
        }
        var extensions = new java.util.LinkedHashMap<>(problem.extensions());
        extensions.put("request_id", requestId);
        Object clientRequestId = MDC.get(RequestIdFilter.CLIENT_MDC_KEY);
        if (clientRequestId != null) {
            extensions.put("client_request_id", clientRequestId);
        }
        return new Problem(problem.type(), problem.title(), problem.status(), problem.detail(), problem.instance(),
                extensions);
    }

    /** The generic problem for a status that carries no more specific meaning. */
    public static ProblemException forStatus(int status) {
        return switch (status) {
            case 400 -> ProblemException.badRequest("bad-request", "The request is malformed.");
            case 401 -> ProblemMappers.unauthenticated("Authentication is required.");
            case 403 -> ProblemException.forbidden("forbidden", "You may not perform this operation.");
            case 404 -> new ProblemException(404, "not-found", "Not found", "There is nothing at this path.");
            case 405 -> new ProblemException(405, "method-not-allowed", "Method not allowed",
                    "This path does not take that HTTP method.");
            case 406 -> new ProblemException(406, "not-acceptable", "Not acceptable",
                    "This operation cannot answer in the media type asked for.");
            case 409 -> ProblemException.conflict("conflict", "The request conflicts with the current state.");
            case 413 -> ProblemException.tooLarge("The request body is larger than this operation accepts.");
            case 415 -> ProblemException.unsupportedMediaType("This operation does not take that Content-Type.");
            case 429 -> new ProblemException(429, "rate-limited", "Too many requests", "Slow down and retry later.");
            case 503 -> new ProblemException(503, "unavailable", "Service unavailable", "Try again shortly.");
            default -> status >= 500
                    ? new ProblemException(500, "internal-error", "Internal error",
                            "Something went wrong on our side. Quote the request_id when you contact support.")
                    : new ProblemException(status, "http-" + status, "HTTP " + status, "The request failed.");
        };
    }
}
