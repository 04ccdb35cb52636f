package io.modelyard.training;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.job.JobEvents;
import io.modelyard.job.JobEventsResource;
import io.modelyard.job.JobListFilter;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
    private final JobEvents events;

    TrainingJobResource(TrainingJobService training, JobEvents events) {
        this.training = training;
        this.events = events;
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
    @APIResponse(responseCode = "402", description = "The compute quota cannot cover the job's estimate")
    @APIResponse(responseCode = "403", description = "No jobs:write (viewers, keys without the scope)")
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
    public Page<TrainingJobView> list(@BeanParam PageRequest page, @BeanParam JobListFilter filter) {
        return training.list(page, filter.state(), filter.metadata());
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

    @Path("/{id}/events")
    public JobEventsResource events(@PathParam("id") String id) {
        return events.of(id, training::requireTrainingJob);
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "List the job's checkpoints, newest first")
    @APIResponse(responseCode = "200", description = "The checkpoints")
    @APIResponse(responseCode = "404", description = "No such training job in this tenant")
    public Page<CheckpointView> checkpoints(@PathParam("id") String id) {
        return Page.complete(training.checkpoints(id));
    }
}
