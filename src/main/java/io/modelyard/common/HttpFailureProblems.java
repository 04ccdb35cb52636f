package io.modelyard.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Failures that never reach JAX-RS (a body over the HTTP limit, a failure in an authentication mechanism,
 * a broken connection) still answer in problem+json, never with a framework error page.
 */
@ApplicationScoped
public class HttpFailureProblems {

    private static final Logger LOG = Logger.getLogger(HttpFailureProblems.class);

    private final ObjectMapper json;

    HttpFailureProblems(ObjectMapper json) {
        this.json = json;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.headWritten()) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        ProblemException problem;
        if (failure instanceof ProblemException p) {
            problem = p;
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            problem = ProblemMappers.unauthenticated("The bearer token or API key is invalid or expired.");
        } else {
            int status = context.statusCode() > 0 ? context.statusCode() : 500;
            if (status >= 500) {
                LOG.error("Unexpected failure outside the REST layer", failure);
            }
            problem = ProblemResponses.forStatus(status);
        }
        try {
            Problem body = Problem.of(problem, context.normalizedPath());
            response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
            problem.headers().forEach(response::putHeader);
            response.end(json.writeValueAsString(body));
        } catch (Exception e) {
            context.next();
        }
    }
}
