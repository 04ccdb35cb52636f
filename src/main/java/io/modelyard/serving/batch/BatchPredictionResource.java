package io.modelyard.serving.batch;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.upload.UploadBody;
import io.modelyard.job.JobEvents;
import io.modelyard.job.JobEventsResource;
import io.modelyard.job.JobListFilter;
import io.modelyard.serving.batch.BatchPredictionService.UploadOptions;
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
import java.io.InputStream;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/batch-predictions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "batch-predictions", description = "Predict every row of a dataset version, as a job")
public class BatchPredictionResource {

    private final BatchPredictionService batch;
    private final BatchResultDownloads downloads;
    private final JobEvents events;

    BatchPredictionResource(BatchPredictionService batch, BatchResultDownloads downloads, JobEvents events) {
        this.batch = batch;
        this.downloads = downloads;
        this.events = events;
    }

    @POST
    @Operation(summary = "Predict every row of a dataset version with a model, as a job (202)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "jsonl", value = """
            {"model": "production", "dataset_version_id": "dsv_01jd7x9k2m3n4p5q6r7s8t9v0w", "format": "csv",
             "metadata": {"run": "nightly"}}""")))
    @APIResponse(responseCode = "202", description = "The queued batch prediction")
    @APIResponse(responseCode = "400", description = "Invalid field (named in errors)")
    @APIResponse(responseCode = "402", description = "The predictions quota cannot cover the version's rows")
    @APIResponse(responseCode = "404", description = "No such model or dataset version in this tenant")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    @APIResponse(responseCode = "422", description = "The dataset version is for another task than the model")
    public Response create(@Valid @NotNull BatchPredictionRequests.CreateBatchPrediction request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        BatchPredictionService.Created created = batch.create(request, idempotencyKey);
        return Response.accepted(created.view())
                .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
    }

    @POST
    @Consumes({"text/csv", "application/csv", "text/tab-separated-values", "application/x-ndjson",
        "application/jsonl", "application/jsonlines", "application/x-jsonlines", "application/json-lines"})
    @Operation(summary = "Predict every row of an uploaded CSV or JSON Lines body (no labels needed), as a job (202)",
            description = "Query: model (id or alias, required), format (jsonl|csv), top_k, delimiter (CSV; sniffed "
                    + "otherwise), metadata[key]=value. A text model reads the column named like its text input, "
                    + "else 'text', else the only column; a tabular model the columns named after its features.")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "texts",
            value = "text\nGreat phone\nBroke after a week\n")))
    @APIResponse(responseCode = "202", description = "The queued batch prediction; input: {type: upload, rows, bytes}")
    @APIResponse(responseCode = "400", description = "Invalid option, malformed CSV/JSON Lines, upload-incomplete")
    @APIResponse(responseCode = "402", description = "The predictions quota cannot cover the file's rows")
    @APIResponse(responseCode = "404", description = "No such model in this tenant")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "422", description = "missing-column (named), empty-dataset; nothing kept")
    public Response createFromUpload(InputStream in, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") Long contentLength, @HeaderParam(Idempotency.HEADER) String key,
            @QueryParam("model") String model, @QueryParam("format") String format,
            @QueryParam("top_k") String topK, @QueryParam("delimiter") String delimiter, @Context UriInfo uri) {
        long declared = contentLength == null ? -1 : contentLength;
        UploadBody body = new UploadBody(in, declared);
        // inside accepted: a refusal of the options closes the connection too, the body being unread
        return accepted(body, () -> batch.createFromUpload(new UploadOptions(model, format, UploadOptions.topK(topK),
                delimiter, JobListFilter.metadata(uri)), contentType, body, declared, key));
    }

    @POST
    @Consumes({"application/zip", "application/x-zip-compressed"})
    @Operation(summary = "Predict every image of an uploaded zip with an image model, as a job (202)",
            description = "Query: model (id or alias of an image model, required), format (jsonl|csv), top_k, "
                    + "metadata[key]=value. Any folder layout: every image file is one row; a labels.csv is "
                    + "skipped. The zip is checked as an image dataset's is, and refused with the same problems.")
    @APIResponse(responseCode = "202", description = "The queued batch prediction; input: {type: upload, archive: "
            + "zip, rows, bytes}")
    @APIResponse(responseCode = "400", description = "Invalid option, malformed-archive, upload-incomplete")
    @APIResponse(responseCode = "402", description = "The predictions quota cannot cover the archive's images")
    @APIResponse(responseCode = "404", description = "No such model in this tenant")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "422", description = "task-mismatch (not an image model), an unsafe archive "
            + "(archive-path-traversal, compression-ratio-too-high, ...), not-an-image, empty-dataset; nothing kept")
    public Response createFromArchive(InputStream in, @HeaderParam("Content-Length") Long contentLength,
            @HeaderParam(Idempotency.HEADER) String key, @QueryParam("model") String model,
            @QueryParam("format") String format, @QueryParam("top_k") String topK,
            @QueryParam("delimiter") String delimiter, @Context UriInfo uri) {
        long declared = contentLength == null ? -1 : contentLength;
        UploadBody body = new UploadBody(in, declared);
        return accepted(body, () -> batch.createFromArchive(new UploadOptions(model, format, UploadOptions.topK(topK),
                delimiter, JobListFilter.metadata(uri)), body, declared, key));
    }

    /** 202 with the created job; a refusal says whether the upload ended early, and closes a connection mid-body. */
    private static Response accepted(UploadBody body, Supplier<BatchPredictionService.Created> create) {
        try {
            BatchPredictionService.Created created = create.get();
            return Response.accepted(created.view())
                    .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
        } catch (RuntimeException e) {
            if (body.failed()) {
                throw body.incomplete();
            }
            throw e instanceof ProblemException problem ? body.refusal(problem) : e;
        }
    }

    @GET
    @Operation(summary = "List batch predictions, newest first; filter by state and metadata[key]=value")
    @APIResponse(responseCode = "200", description = "A page of batch predictions")
    public Page<BatchPredictionView> list(@BeanParam PageRequest page, @BeanParam JobListFilter filter) {
        return batch.list(page, filter.state(), filter.metadata());
    }


    @GET
    @Path("/{id}")
    @Operation(summary = "Get a batch prediction: state, progress, and the result file once it succeeded")
    @APIResponse(responseCode = "200", description = "The batch prediction")
    @APIResponse(responseCode = "404", description = "No such batch prediction in this tenant")
    public BatchPredictionView get(@PathParam("id") String id) {
        return batch.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel: a queued job at once; a running one stops after its current chunk")
    @APIResponse(responseCode = "200", description = "The batch prediction, cancelled or cancelling")
    @APIResponse(responseCode = "404", description = "No such batch prediction in this tenant")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public BatchPredictionView cancel(@PathParam("id") String id) {
        return batch.cancel(id);
    }

    @Path("/{id}/events")
    public JobEventsResource events(@PathParam("id") String id) {
        return events.of(id, batch::requireBatchPrediction);
    }

    @GET
    @Path("/{id}/result")
    @Produces({"text/csv", "application/x-ndjson", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download the result file (CSV or JSON Lines, as asked at creation), streamed")
    @APIResponse(responseCode = "200", description = "The predictions, one row per row of the dataset version")
    @APIResponse(responseCode = "404", description = "No such batch prediction in this tenant")
    @APIResponse(responseCode = "409", description = "result-not-ready: the job has not succeeded (yet)")
    @APIResponse(responseCode = "410", description = "result-expired: deleted after modelyard.batch.result-retention")
    public Response result(@PathParam("id") String id) {
        return downloads.download(id);
    }
}
