package io.modelyard.job;

import io.modelyard.common.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code GET /v1/<job collection>/{id}/events} ({@link JobEventsResource}) answers a JSON page, or with
 * {@code ?stream=true} (or an EventSource's {@code Accept: text/event-stream}) an event stream. The query parameter
 * decides, whatever else the client accepts, by fixing the {@code Accept} header the two resource methods are
 * matched on. It runs before matching, so it knows a job's events by the path alone: the {@code job_} prefix every
 * job id has (other {@code .../events} paths, such as {@code /v1/usage/events}, are left alone).
 */
public class JobStreamNegotiation {

    private static final Pattern EVENTS = Pattern.compile("/v1/[a-z0-9-]+/job_[^/]+/events/?");

    @ServerRequestFilter(preMatching = true)
    public void chooseRepresentation(ContainerRequestContext request) {
        if (!"GET".equals(request.getMethod()) || !EVENTS.matcher(request.getUriInfo().getPath()).matches()) {
            return;
        }
        String stream = request.getUriInfo().getQueryParameters().getFirst("stream");
        boolean events;
        if (stream == null) {
            String accept = request.getHeaderString(HttpHeaders.ACCEPT);
            events = accept != null && accept.contains(MediaType.SERVER_SENT_EVENTS);
        } else if (stream.equalsIgnoreCase("true") || stream.equalsIgnoreCase("false")) {
            events = stream.equalsIgnoreCase("true");
        } else {
            throw ProblemException.invalidField("stream", "must be true or false");
        }
        request.getHeaders().putSingle(HttpHeaders.ACCEPT,
                events ? MediaType.SERVER_SENT_EVENTS : MediaType.APPLICATION_JSON);
    }
}
