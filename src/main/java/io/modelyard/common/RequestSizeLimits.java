package io.modelyard.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Refuses an oversized JSON body before reading it: the framework would buffer it whole. Uploads (CSV, JSON
 * Lines, zip archives, multipart) are streamed and enforce their own, plan-dependent limits, which is why
 * {@code quarkus.http.limits.max-body-size} is set far above any JSON body: a chunked (length-less) JSON body is
 * held to {@code modelyard.http.max-json-body-size} here instead, as the body is read.
 */
@ApplicationScoped
public class RequestSizeLimits {

    private static final Set<String> STREAMED = Set.of("text/csv", "application/x-ndjson", "application/jsonl",
            "multipart/form-data", "application/octet-stream", "application/zip", "application/x-zip-compressed");

    private final HttpLimitsConfig config;
    private final ObjectMapper json;

    RequestSizeLimits(HttpLimitsConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** The request attribute the framework's body readers take their byte limit from. */
    static final String MAX_REQUEST_SIZE = "io.quarkus.max-request-size";

    void register(@Observes Router router) {
        router.route().order(-100).handler(this::check);
        // After the framework's own limit handler (order -2) has set its global limit for length-less bodies.
        router.route().order(-1).handler(this::limitChunked);
    }

    private void limitChunked(RoutingContext context) {
        if (!isStreamed(context.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            context.put(MAX_REQUEST_SIZE, config.maxJsonBodySize().asLongValue());
        }
        context.next();
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !isStreamed(context.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > config.maxJsonBodySize().asLongValue()) {
                ProblemException problem = ProblemException.tooLarge("The request body (" + declared
                        + " bytes) is larger than the " + config.maxJsonBodySize().asLongValue()
                        + " bytes this operation accepts.");
                try {
                    context.response().setStatusCode(413)
                            .putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .putHeader("Connection", "close")
                            .end(json.writeValueAsString(Problem.of(problem, context.normalizedPath())));
                } catch (Exception e) {
                    context.fail(413);
                }
                return;
            }
        }
        context.next();
    }

    private static boolean isStreamed(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
        return STREAMED.contains(mediaType);
    }
}
