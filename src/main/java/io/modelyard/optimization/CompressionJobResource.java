package io.modelyard.optimization;

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

@Path("/v1/compression-jobs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "optimization", description = "Tune, distill and compress models")
public class CompressionJobResource {

    private final CompressionJobService service;
    private final JobEvents events;

    CompressionJobResource(CompressionJobService service, JobEvents events) {
        this.service = service;
        this.events = events;
    }

    @POST
    @Operation(summary = "Compress a classifier: magnitude pruning with fine-tuning and/or int8/fp16 quantization,"
            + " registered only if its test macro F1 stays within the tolerance (202), or estimate with dry_run (200)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "example", value = """
            {"model_id": "mdl_01jd7x9k2m3n4p5q6r7s8t9v0w", "pruning": {"sparsity": 0.5, "fine_tune_epochs": 2},
             "quantization": "int8", "tolerance": 0.01}""")))
    @APIResponse(responseCode = "202", description = "The queued compression job")
    @APIResponse(responseCode = "200", description = "dry_run: the compute and price estimate; nothing started")
    @APIResponse(responseCode = "400", description = "Invalid options (the field is named)")
    @APIResponse(responseCode = "402", description = "The compute quota cannot cover the job's estimate")
    @APIResponse(responseCode = "404", description = "No such model or dataset version in this tenant")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    @APIResponse(responseCode = "422", description = "Not a classifier, or the dataset version does not fit it")
    public Response create(@Valid @NotNull CompressionRequests.CreateCompressionJob request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        CompressionJobService.Created created = service.create(request, idempotencyKey);
        if (created.estimate() != null) {
            return Response.ok(created.estimate()).build();
        }
        return Response.accepted(created.job())
                .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List compression jobs, newest first; filter by state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of compression jobs")
    @APIResponse(responseCode = "400", description = "Unknown state, bad cursor or limit")
    public Page<CompressionJobView> list(@BeanParam PageRequest page, @BeanParam JobListFilter filter) {
        return service.list(page, filter.state(), filter.metadata());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a compression job: state, progress, and once done its report and model")
    @APIResponse(responseCode = "200", description = "The compression job")
    @APIResponse(responseCode = "404", description = "No such compression job in this tenant")
    public CompressionJobView get(@PathParam("id") String id) {
        return service.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: a queued job at once; a running one stops within seconds")
    @APIResponse(responseCode = "200", description = "The job, cancelled or cancelling")
    @APIResponse(responseCode = "404", description = "No such compression job in this tenant")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public CompressionJobView cancel(@PathParam("id") String id) {
        return service.cancel(id);
    }

    @Path("/{id}/events")
    public JobEventsResource events(@PathParam("id") String id) {
        return events.of(id, service::requireCompressionJob);
    }
}
