package io.modelyard.job;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.inject.Vetoed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code GET .../{id}/events} of every job type: a JSON page of the job's events, or with {@code ?stream=true} (or
 * {@code Accept: text/event-stream}, see {@link JobStreamNegotiation}) the same events as Server-Sent Events. A
 * feature resource hands one out from a sub-resource locator (see {@link JobEvents#of}).
 * <p>
 * The type check runs here, in each method, not in the locator: Quarkus REST runs the request filters (tenant
 * resolution, rate limits, metering) only before a resource method, so when a locator runs the caller's tenant is
 * not known yet.
 */
@Vetoed
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class JobEventsResource {

    /** Answers 404 unless the id names a job of the feature's own type in the caller's tenant. */
    @FunctionalInterface
    public interface TypeCheck {

        /** Jobs of every type ({@code /v1/jobs}): reading the events answers 404 for another tenant's job. */
        TypeCheck ANY = jobId -> {
        };

        void require(String jobId);
    }

    private final JobService jobs;
    private final JobEventFollower follower;
    private final String jobId;
    private final TypeCheck typeCheck;

    JobEventsResource(JobService jobs, JobEventFollower follower, String jobId, TypeCheck typeCheck) {
        this.jobs = jobs;
        this.follower = follower;
        this.jobId = jobId;
        this.typeCheck = typeCheck;
    }

    @GET
    @Operation(summary = "Page through the job's events (state changes, progress, per-epoch metrics, messages),"
            + " oldest first (?after=<event id>); ?stream=true streams them as Server-Sent Events")
    @APIResponse(responseCode = "200", description = "A page of events")
    @APIResponse(responseCode = "404", description = "No such job of this type in this tenant")
    public Page<JobEventView> page(@BeanParam PageRequest page) {
        typeCheck.require(jobId);
        return jobs.events(jobId, page);
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Follow the job's events as Server-Sent Events (?stream=true): replays from Last-Event-ID"
            + " or ?after=, then follows live, and ends when the job has finished")
    @APIResponse(responseCode = "200", description = "A page of events, or a text/event-stream of them (each with"
            + " the event's id, its data the event as JSON)",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = JobEventView.class)))
    @APIResponse(responseCode = "204", description = "The job has finished and every event was seen already")
    @APIResponse(responseCode = "404", description = "No such job of this type in this tenant")
    public Multi<OutboundSseEvent> stream(@QueryParam("stream") String stream, @QueryParam("after") String after,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse, @Context HttpServerResponse response) {
        typeCheck.require(jobId);
        return follower.follow(jobId, after, lastEventId, sse, response);
    }
}
