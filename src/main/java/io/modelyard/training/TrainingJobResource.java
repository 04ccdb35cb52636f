package io.modelyard.training;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.job.JobEventView;
import io.modelyard.job.JobEventFollower;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/training-jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "training", description = "Train models on your dataset versions")
public class TrainingJobResource {

    private final TrainingJobService training;
    private final JobService jobs;
    private final JobEventFollower follower;

    TrainingJobResource(TrainingJobService training, JobService jobs, JobEventFollower follower) {
        this.training = training;
        this.jobs = jobs;
        this.follower = follower;
    }

    @POST
    @Operation(summary = "Start a training job on a dataset version (202), or estimate one with dry_run (200)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "textcnn", value = """
            {"dataset_version_id": "dsv_01jd7x9k2m3n4p5q6r7s8t9v0w", "architecture": "text_cnn", "size": "small",
             "hyperparameters": {"epochs": 5, "learning_rate": 0.001}, "seed": 7, "suffix": "baseline",
             "metadata": {"team": "support"}}""")))
    @APIResponse(responseCode = "202", description = "The queued training job")
    @APIResponse(responseCode = "200", description = "dry_run: the compute and price estimate; nothing started")
    @APIResponse(responseCode = "400", description = "Invalid hyperparameters (the field is named)")
    @APIResponse(responseCode = "404", description = "No such dataset version in this tenant")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(@Valid @NotNull TrainingJobRequests.CreateTrainingJob request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        TrainingJobService.Created created = training.create(request, idempotencyKey);
        if (created.estimate() != null) {
            return Response.ok(created.estimate()).build();
        }
        return Response.accepted(created.job())
                .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List training jobs, newest first; filter by state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of training jobs")
    public Page<TrainingJobView> list(@BeanParam PageRequest page, @QueryParam("state") String state,
            @Context UriInfo uri) {
        Map<String, String> metadata = new HashMap<>();
        uri.getQueryParameters().forEach((key, values) -> {
            if (key.startsWith("metadata[") && key.endsWith("]") && !values.isEmpty()) {
                metadata.put(key.substring("metadata[".length(), key.length() - 1), values.get(0));
            }
        });
        return training.list(page, state == null ? null : parseState(state), metadata);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a training job: state, progress, estimated finish, the model when done")
    @APIResponse(responseCode = "200", description = "The training job")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    public TrainingJobView get(@PathParam("id") String id) {
        return training.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: a queued job at once; a running one stops within seconds")
    @APIResponse(responseCode = "200", description = "The job, cancelled or cancelling")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public TrainingJobView cancel(@PathParam("id") String id) {
        return training.cancel(id);
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause: a queued job at once; a running one saves a checkpoint and frees its worker"
            + " (pausing, then paused); a paused job uses no compute and is billed nothing until resumed")
    @APIResponse(responseCode = "200", description = "The job, pausing or paused")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    @APIResponse(responseCode = "409", description = "Being cancelled, or already finished")
    public TrainingJobView pause(@PathParam("id") String id) {
        return training.pause(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused job: it goes back to the queue and continues from its checkpoint")
    @APIResponse(responseCode = "200", description = "The job, queued again")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    @APIResponse(responseCode = "409", description = "Still pausing, being cancelled, or already finished")
    public TrainingJobView resume(@PathParam("id") String id) {
        return training.resume(id);
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "Page through the job's events (state changes, per-epoch metrics, messages), oldest first;"
            + " ?stream=true streams them as Server-Sent Events")
    @APIResponse(responseCode = "200", description = "A page of events")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    public Page<JobEventView> events(@PathParam("id") String id, @BeanParam PageRequest page) {
        training.requireTrainingJob(id);
        return jobs.events(id, page);
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Follow the job's events as Server-Sent Events (?stream=true): replays from Last-Event-ID"
            + " or ?after=, then follows live, and ends when the job has finished")
    @APIResponse(responseCode = "200", description = "A text/event-stream of job events")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    public Multi<OutboundSseEvent> stream(@PathParam("id") String id, @QueryParam("stream") String stream,
            @QueryParam("after") String after, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse, @Context HttpServerResponse response) {
        training.requireTrainingJob(id);
        return follower.follow(id, after, lastEventId, sse, response);
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "List the job's checkpoints, newest first")
    @APIResponse(responseCode = "200", description = "The checkpoints")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    public Page<CheckpointView> checkpoints(@PathParam("id") String id) {
        return Page.complete(training.checkpoints(id));
    }

    private static JobState parseState(String value) {
        try {
            return JobState.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("state",
                    "must be one of queued, running, cancelling, pausing, paused, succeeded, failed, cancelled");
        }
    }
}
