package io.modelyard.job;

import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Serves a job's events as Server-Sent Events, for {@link JobEventsResource} and the portal's job pages: replays
 * from {@code Last-Event-ID} or {@code ?after=}, then follows live, and ends when the job has finished. Call it on a
 * worker thread; it checks access.
 */
@ApplicationScoped
public class JobEventFollower {

    private final JobService jobs;
    private final JobEventStreams streams;

    JobEventFollower(JobService jobs, JobEventStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    public Multi<OutboundSseEvent> follow(String jobId, String after, String lastEventId, Sse sse,
            HttpServerResponse response) {
        boolean reconnect = lastEventId != null && !lastEventId.isEmpty();
        JobService.StreamOpening opening = jobs.openStream(jobId, reconnect ? lastEventId : after,
                reconnect ? "Last-Event-ID" : "after");
        if (opening.finished()) {
            throw new NothingMoreToStream();
        }
        // Headers go out with the first event: no caching, and no buffering in proxies such as nginx.
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        return streams.open(opening.start(), sse);
    }

    /** 204 tells an EventSource not to reconnect: the job is over and the client has seen all of it. */
    @ServerExceptionMapper
    public Response nothingMoreToStream(NothingMoreToStream e) {
        return Response.noContent().build();
    }

    static final class NothingMoreToStream extends RuntimeException {
        NothingMoreToStream() {
            super(null, null, false, false);
        }
    }
}
