package io.modelyard.optimization;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.job.JobEvents;
import io.modelyard.job.JobEventsResource;
import io.modelyard.job.JobListFilter;
import io.modelyard.model.ModelRegistry;
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

@Path("/v1/tuning-jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "optimization", description = "Tune, distill and compress models")
public class TuningJobResource {

    private final TuningJobService tuning;
    private final JobEvents events;

    TuningJobResource(TuningJobService tuning, JobEvents events) {
        this.tuning = tuning;
        this.events = events;
    }

    @POST
    @Operation(summary = "Start a tuning job: model selection and hyperparameter search on a dataset version (202),"
            + " or estimate one with dry_run (200)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "text", value = """
            {"dataset_version_id": "dsv_01jd7x9k2m3n4p5q6r7s8t9v0w", "objective": "macro_f1",
             "search_space": {"architectures": ["linear", "bag_of_embeddings", "text_cnn"],
               "dimensions": {"learning_rate": {"min": 0.001, "max": 0.05, "scale": "log"},
                              "embedding_size": {"values": [32, 64, 128]}},
               "min_epochs": 1, "max_epochs": 9},
             "budget": {"max_trials": 20, "max_compute_seconds": 1800}, "seed": 7, "suffix": "tuned"}""")))
    @APIResponse(responseCode = "202", description = "The queued tuning job")
    @APIResponse(responseCode = "200", description = "dry_run: the compute and price estimate; nothing started")
    @APIResponse(responseCode = "400", description = "Invalid objective, search space or budget (the field is named)")
    @APIResponse(responseCode = "402", description = "The compute quota cannot cover the job's estimate")
    @APIResponse(responseCode = "404", description = "No such dataset version in this tenant")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(@Valid @NotNull TuningRequests.CreateTuningJob request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        TuningJobService.Created created = tuning.create(request, idempotencyKey);
        if (created.estimate() != null) {
            return Response.ok(created.estimate()).build();
        }
        return Response.accepted(created.job())
                .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List tuning jobs, newest first; filter by state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of tuning jobs")
    @APIResponse(responseCode = "400", description = "Unknown state, bad cursor or limit")
    public Page<TuningJobView> list(@BeanParam PageRequest page, @BeanParam JobListFilter filter) {
        return tuning.list(page, filter.state(), filter.metadata());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tuning job: state, progress, trial counts, and once done the model, best trial and"
            + " Pareto front")
    @APIResponse(responseCode = "200", description = "The tuning job")
    @APIResponse(responseCode = "404", description = "No such tuning job in this tenant")
    public TuningJobView get(@PathParam("id") String id) {
        return tuning.get(id);
    }

    @GET
    @Path("/{id}/trials")
    @Operation(summary = "Page through the job's trials, newest first: parameters, per-epoch validation metrics,"
            + " state, compute, latency, size")
    @APIResponse(responseCode = "200", description = "A page of trials")
    @APIResponse(responseCode = "404", description = "No such tuning job in this tenant")
    public Page<TrialView> trials(@PathParam("id") String id, @BeanParam PageRequest page) {
        return tuning.trials(id, page);
    }

    @POST
    @Path("/{id}/trials/{trial_id}/register")
    @Operation(summary = "Register the model of a finished trial (one on the Pareto front: smaller or faster than the"
            + " best) as a new version, with its test evaluation")
    @APIResponse(responseCode = "201", description = "The registered model")
    @APIResponse(responseCode = "200", description = "The model this trial was registered as before (a retry, or"
            + " the job's own best trial): a trial becomes one model")
    @APIResponse(responseCode = "403", description = "Viewers cannot register models")
    @APIResponse(responseCode = "404", description = "No such tuning job or trial in this tenant")
    @APIResponse(responseCode = "409", description = "job-not-finished, or trial-has-no-model")
    public Response registerTrial(@PathParam("id") String id, @PathParam("trial_id") String trialId) {
        ModelRegistry.Registration registration = tuning.registerTrial(id, trialId);
        return Response.status(registration.created() ? 201 : 200).entity(registration.model()).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: a queued job at once; a running one stops within seconds, keeping its trial rows")
    @APIResponse(responseCode = "200", description = "The job, cancelled or cancelling")
    @APIResponse(responseCode = "404", description = "No such tuning job in this tenant")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public TuningJobView cancel(@PathParam("id") String id) {
        return tuning.cancel(id);
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Pause: a queued job at once; a running one saves a checkpoint and frees its worker"
            + " (pausing, then paused); a paused job uses no compute and is billed nothing until resumed")
    @APIResponse(responseCode = "200", description = "The job, pausing or paused")
    @APIResponse(responseCode = "404", description = "No such tuning job in this tenant")
    @APIResponse(responseCode = "409", description = "Being cancelled, or already finished")
    public TuningJobView pause(@PathParam("id") String id) {
        return tuning.pause(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a paused job: it goes back to the queue and continues from its checkpoint")
    @APIResponse(responseCode = "200", description = "The job, queued again")
    @APIResponse(responseCode = "404", description = "No such tuning job in this tenant")
    @APIResponse(responseCode = "409", description = "Still pausing, being cancelled, or already finished")
    public TuningJobView resume(@PathParam("id") String id) {
        return tuning.resume(id);
    }

    @Path("/{id}/events")
    public JobEventsResource events(@PathParam("id") String id) {
        return events.of(id, tuning::requireTuningJob);
    }
}
