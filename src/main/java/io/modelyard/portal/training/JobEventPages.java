package io.modelyard.portal.training;

import io.modelyard.job.JobEventFollower;
import io.modelyard.portal.PortalSession;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** A job's events as Server-Sent Events for the portal's live pages: the same stream as the API's. */
@Path("/portal/t/{tenant}/jobs/{id}/events")
@Authenticated
public class JobEventPages {

    private final PortalSession session;
    private final JobEventFollower follower;

    JobEventPages(PortalSession session, JobEventFollower follower) {
        this.session = session;
        this.follower = follower;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> follow(@PathParam("id") String id, @QueryParam("after") String after,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse,
            @Context HttpServerResponse response) {
        session.tenantPage("training");
        return follower.follow(id, after, lastEventId, sse, response);
    }
}
