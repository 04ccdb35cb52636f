package io.modelyard.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches JAX-RS into one problem+json shape. Nothing of the exception itself
 * (class names, stack traces, parser internals) reaches the client; unexpected failures are logged here with
 * the request id that the client also receives.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return ProblemResponses.of(e, uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<ProblemException.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ProblemException.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(ProblemException.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return ProblemResponses.of(ProblemException.invalid(detail, errors), uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response unrecognizedField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = e.getPropertyName();
        return ProblemResponses.of(ProblemException.invalidField(field, "is not a known field"), uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response wrongType(InvalidFormatException e, UriInfo uri) {
        return ProblemResponses.of(ProblemException.invalidField(pathOf(e), "has the wrong type or format"),
                uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        String field = pathOf(e);
        ProblemException problem = field.isEmpty()
                ? ProblemException.badRequest("malformed-json", "The request body is not the JSON this operation takes.")
                : ProblemException.invalidField(field, "has the wrong type");
        return ProblemResponses.of(problem, uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response valueInstantiation(ValueInstantiationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof ProblemException problem) {
            return ProblemResponses.of(problem, uri.getPath());
        }
        String field = pathOf(e);
        return ProblemResponses.of(ProblemException.invalidField(field.isEmpty() ? "body" : field, "is not valid"),
                uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        return ProblemResponses.of(
                ProblemException.badRequest("malformed-json", "The request body is not the JSON this operation takes."),
                uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return ProblemResponses.of(
                ProblemException.badRequest("malformed-json", "The request body is not valid JSON."), uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemResponses.of(
                ProblemException.badRequest("malformed-json", "The request body is not valid JSON."), uri.getPath());
    }

    @ServerExceptionMapper(priority = 1)
    public Uni<Response> unauthorized(UnauthorizedException e, UriInfo uri, RoutingContext routing) {
        return challengeOr(unauthenticated("Authentication is required: send Authorization: Bearer "
                + "<access token or API key>."), uri, routing);
    }

    @ServerExceptionMapper(priority = 1)
    public Uni<Response> authenticationFailed(AuthenticationFailedException e, UriInfo uri, RoutingContext routing) {
        // A mechanism that refused for another reason than bad credentials (too many look-ups) says which.
        Object problem = e.getAttribute(ProblemException.class.getName());
        if (problem instanceof ProblemException specific) {
            return Uni.createFrom().item(ProblemResponses.of(specific, uri.getPath()));
        }
        String detail = e.getMessage() != null && e.getMessage().startsWith("api-key:")
                ? e.getMessage().substring("api-key:".length()).trim()
                : "The bearer token is invalid or expired.";
        return challengeOr(unauthenticated(detail), uri, routing);
    }

    @ServerExceptionMapper(priority = 1)
    public Uni<Response> authenticationCompletion(AuthenticationCompletionException e, UriInfo uri,
            RoutingContext routing) {
        return challengeOr(unauthenticated("The bearer token is invalid or expired."), uri, routing);
    }

    /**
     * The authentication mechanism in charge of the path decides how to ask for credentials: where it sends a
     * browser to sign in (the portal's Keycloak redirect), that redirect is the answer; elsewhere a 401 problem.
     */
    private static Uni<Response> challengeOr(ProblemException problem, UriInfo uri, RoutingContext routing) {
        HttpAuthenticator authenticator = routing.get(HttpAuthenticator.class.getName());
        if (authenticator == null) {
            return Uni.createFrom().item(ProblemResponses.of(problem, uri.getPath()));
        }
        return authenticator.getChallenge(routing).map(challenge -> {
            if (challenge != null && challenge.status >= 300 && challenge.status < 400) {
                Response.ResponseBuilder redirect = Response.status(challenge.status);
                challenge.getHeaders().forEach((name, value) -> redirect.header(name.toString(), value));
                return redirect.build();
            }
            return ProblemResponses.of(problem, uri.getPath());
        }).onFailure().recoverWithItem(e -> failure(e, uri)); // the sign-in redirect needs the provider
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return ProblemResponses.of(ProblemException.forbidden("forbidden", "You may not perform this operation."),
                uri.getPath());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof ValueInstantiationException cause) {
            return valueInstantiation(cause, uri);
        }
        if (e.getCause() instanceof UnrecognizedPropertyException cause) {
            return unrecognizedField(cause, uri);
        }
        if (e.getCause() instanceof InvalidFormatException cause) {
            return wrongType(cause, uri);
        }
        if (e.getCause() instanceof MismatchedInputException cause) {
            return mismatchedInput(cause, uri);
        }
        if (e.getCause() instanceof JsonProcessingException) {
            return ProblemResponses.of(ProblemException.badRequest("malformed-json",
                    "The request body is not valid JSON."), uri.getPath());
        }
        if (status >= 500) {
            LOG.errorf(e, "Request failed [request_id=%s]", MDC.get(RequestIdFilter.MDC_KEY));
        }
        return ProblemResponses.of(ProblemResponses.forStatus(status), uri.getPath());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        return failure(e, uri);
    }

    /** A dependency's outage is a 503 with Retry-After; anything else a 500, logged with the request's id. */
    private static Response failure(Throwable e, UriInfo uri) {
        var outage = DependencyFailures.of(e);
        if (outage.isPresent()) {
            LOG.warnf("A dependency failed [request_id=%s]: %s", MDC.get(RequestIdFilter.MDC_KEY), e);
            return ProblemResponses.of(outage.get(), uri.getPath());
        }
        LOG.errorf(e, "Unexpected failure [request_id=%s]", MDC.get(RequestIdFilter.MDC_KEY));
        return ProblemResponses.of(ProblemResponses.forStatus(500), uri.getPath());
    }

    static ProblemException unauthenticated(String detail) {
        return new ProblemException(401, "unauthenticated", "Unauthenticated", detail, Map.of(),
                Map.of("WWW-Authenticate", "Bearer realm=\"modelyard\""));
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "create.body.name" -> "name": clients know fields, not Java method parameters.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        StringBuilder field = new StringBuilder();
        for (int i = Math.min(2, parts.length - 1); i < parts.length; i++) {
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(snake(parts[i]));
        }
        return field.toString();
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
