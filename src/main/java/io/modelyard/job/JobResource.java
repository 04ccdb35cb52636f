package io.modelyard.job;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

@Path("/v1/jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Background work: state, progress, events, cancellation")
public class JobResource {

    private static final Pattern METADATA_FILTER = Pattern.compile("metadata\\[(.+)]");

    private final JobService jobs;
    private final JobEventStreams streams;
    private final JobEventFollower follower;

    JobResource(JobService jobs, JobEventStreams streams, JobEventFollower follower) {
        this.follower = follower;
        this.jobs = jobs;
        this.streams = streams;
    }

    @GET
    @Operation(summary = "List jobs, newest first; filter by type, state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of jobs")
    @APIResponse(responseCode = "400", description = "Unknown state, bad cursor or limit")
    public Page<JobView> list(@BeanParam PageRequest page, @QueryParam("type") String type,
            @QueryParam("state") @Parameter(description = "queued, running, cancelling, succeeded, failed, cancelled")
            String state, @Context UriInfo uri) {
        Map<String, String> metadata = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            Matcher filter = METADATA_FILTER.matcher(name);
            if (filter.matches()) {
                metadata.put(filter.group(1), values.get(0));
            }
        });
        return jobs.list(page, type, state == null ? null : parseState(state), metadata);
    }

    @POST
    @Operation(summary = "Create a canary job (type noop): it finishes at once and measures the queue")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "canary",
            value = "{\"type\": \"noop\", \"metadata\": {\"probe\": \"eu-west\"}}")))
    @APIResponse(responseCode = "202", description = "The queued job")
    @APIResponse(responseCode = "400", description = "Not a noop job, or invalid metadata")
    @APIResponse(responseCode = "403", description = "Your role or key does not allow creating jobs")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(@Valid @NotNull JobRequests.CreateJob request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<JobView> outcome = jobs.enqueueCanary(request, idempotencyKey);
        return Response.status(202).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a job: state, attempt, progress, estimated finish, error, result")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    public JobView get(@PathParam("id") String id) {
        return jobs.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a job: a queued one at once, a running one as soon as it stops (cancelling)")
    @APIResponse(responseCode = "200", description = "The job, cancelled or cancelling")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public JobView cancel(@PathParam("id") String id) {
        return jobs.cancel(id);
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause a training or tuning job: a queued one at once, a running one checkpoints and gives"
            + " its worker back (pausing, then paused); nothing runs or is metered until it is resumed")
    @APIResponse(responseCode = "200", description = "The job, pausing or paused")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    @APIResponse(responseCode = "409", description = "Not a pausable type, being cancelled, or already finished")
    public JobView pause(@PathParam("id") String id) {
        return jobs.pause(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused job: back to the queue, continuing from its checkpoint")
    @APIResponse(responseCode = "200", description = "The job, queued again")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    @APIResponse(responseCode = "409", description = "Still pausing, being cancelled, or already finished")
    public JobView resume(@PathParam("id") String id) {
        return jobs.resume(id);
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "Page through a job's events, oldest first (?after=<event id>); ?stream=true streams them")
    @APIResponse(responseCode = "200", description = "A page of events")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    public Page<JobEventView> events(@PathParam("id") String id, @BeanParam PageRequest page) {
        return jobs.events(id, page);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Follow a job's events as Server-Sent Events (?stream=true): replays from Last-Event-ID"
            + " or ?after=, then follows live, and ends when the job has finished")
    @APIResponse(responseCode = "200", description = "A page of events, or a text/event-stream of them (each with"
            + " the event's id, its data the event as JSON)", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
                    schema = @Schema(implementation = JobEventView.class)))
    @APIResponse(responseCode = "204", description = "The job has finished and every event was seen already")
    @APIResponse(responseCode = "404", description = "No such job in this tenant")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @QueryParam("stream") String stream,
            @QueryParam("after") String after, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse, @Context HttpServerResponse response) {
        return follower.follow(id, after, lastEventId, sse, response);
    }

    private static JobState parseState(String value) {
        try {
            return JobState.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("state: must be one of queued, running, cancelling, pausing, paused,"
                    + " succeeded, failed, cancelled.", List.of(new ProblemException.FieldError("state",
                            "must be queued, running, cancelling, pausing, paused, succeeded, failed or cancelled")));
        }
    }
}
