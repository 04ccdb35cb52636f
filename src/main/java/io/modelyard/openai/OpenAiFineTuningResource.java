package io.modelyard.openai;

import io.modelyard.common.Idempotency;
import io.modelyard.job.JobListFilter;
import io.quarkus.security.Authenticated;
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
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/openai/v1/fine_tuning/jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "openai")
public class OpenAiFineTuningResource {

    private final OpenAiFineTuning fineTuning;

    OpenAiFineTuningResource(OpenAiFineTuning fineTuning) {
        this.fineTuning = fineTuning;
    }

    @POST
    @Operation(summary = "Create a fine-tuning job (a training job): model names an architecture or one of your models")
    @APIResponse(responseCode = "200", description = "The fine_tuning.job, queued")
    public OpenAiViews.FineTuningJob create(OpenAiRequests.CreateFineTuningJob request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        if (request == null) {
            throw io.modelyard.common.ProblemException.badRequest("malformed-json", "The request body is required.");
        }
        return fineTuning.create(request, idempotencyKey);
    }

    @GET
    @Operation(summary = "List fine-tuning jobs (training jobs), newest first; paged with after and limit")
    @APIResponse(responseCode = "200", description = "A list of fine_tuning.job objects")
    public OpenAiViews.ListOf<OpenAiViews.FineTuningJob> list(@QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @Context UriInfo uri) {
        return fineTuning.list(after, limit, JobListFilter.metadata(uri));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a fine-tuning job")
    @APIResponse(responseCode = "200", description = "The fine_tuning.job")
    public OpenAiViews.FineTuningJob get(@PathParam("id") String id) {
        return fineTuning.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a fine-tuning job")
    @APIResponse(responseCode = "200", description = "The fine_tuning.job, cancelled (or still stopping: running)")
    public OpenAiViews.FineTuningJob cancel(@PathParam("id") String id) {
        return fineTuning.cancel(id);
    }

    @GET
    @Path("/{id}/events")
    @Operation(summary = "The job's events, newest first")
    @APIResponse(responseCode = "200", description = "A list of fine_tuning.job.event objects")
    public OpenAiViews.ListOf<OpenAiViews.Event> events(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        return fineTuning.events(id, after, limit);
    }

    @GET
    @Path("/{id}/checkpoints")
    @Operation(summary = "The job's checkpoints, newest first")
    @APIResponse(responseCode = "200", description = "A list of fine_tuning.job.checkpoint objects")
    public OpenAiViews.ListOf<OpenAiViews.Checkpoint> checkpoints(@PathParam("id") String id,
            @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        return fineTuning.checkpoints(id, after, limit);
    }
}
