package io.modelyard.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id of ours ({@code req_...}): it goes into the log context (JSON logs carry it), into
 * problem bodies and the audit log, and back to the caller as {@code X-Request-Id}. A caller's own
 * {@code X-Request-Id}, when sane, is kept beside it as the client request id — recorded and echoed
 * ({@code X-Client-Request-Id}), never taken for ours, so a client cannot make two requests look like one.
 */
public class RequestIdFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String CLIENT_HEADER = "X-Client-Request-Id";
    public static final String MDC_KEY = "request_id";
    public static final String CLIENT_MDC_KEY = "client_request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @ServerRequestFilter(preMatching = true)
    public void assignRequestId(ContainerRequestContext request) {
        String id = "req_" + UUID.randomUUID();
        request.setProperty(MDC_KEY, id);
        MDC.put(MDC_KEY, id);
        String offered = request.getHeaderString(HEADER);
        if (offered != null && SANE.matcher(offered).matches()) {
            request.setProperty(CLIENT_MDC_KEY, offered);
            MDC.put(CLIENT_MDC_KEY, offered);
        } else {
            MDC.remove(CLIENT_MDC_KEY);
        }
    }

    @ServerResponseFilter
    public void echoRequestId(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id);
        }
        Object client = request.getProperty(CLIENT_MDC_KEY);
        if (client != null) {
            response.getHeaders().putSingle(CLIENT_HEADER, client);
        }
    }
}
