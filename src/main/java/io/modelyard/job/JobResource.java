package io.modelyard.job;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Background work: state, progress, events, cancellation")
public class JobResource {

    private final JobService jobs;
    private final JobEvents events;

    JobResource(JobService jobs, JobEvents events) {
        this.jobs = jobs;
        this.events = events;
    }

    @GET
    @Operation(summary = "List jobs, newest first; filter by type, state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of jobs")
    @APIResponse(responseCode = "400", description = "Unknown state, bad cursor or limit")
    public Page<JobView> list(@BeanParam PageRequest page, @QueryParam("type") String type,
            @BeanParam JobListFilter filter) {
        return jobs.list(page, type, filter.state(), filter.metadata());
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

    @Path("/{id}/events")
    public JobEventsResource events(@PathParam("id") String id) {
        return events.of(id, JobEventsResource.TypeCheck.ANY);
    }
}
