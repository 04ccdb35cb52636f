package io.modelyard.dataset;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.dataset.DatasetRequests.UploadOptions;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/datasets")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "Upload, validate, clean, profile and split datasets")
public class DatasetResource {

    private final DatasetService datasets;
    private final DatasetVersions versions;
    private final DatasetUploads uploads;

    DatasetResource(DatasetService datasets, DatasetVersions versions, DatasetUploads uploads) {
        this.datasets = datasets;
        this.versions = versions;
        this.uploads = uploads;
    }

    @POST
    @Consumes({"text/csv", "application/csv", "text/tab-separated-values", "application/x-ndjson",
        "application/jsonl", "application/jsonlines", "application/x-jsonlines", "application/json-lines",
        "application/zip", "application/x-zip-compressed"})
    @Operation(summary = "Upload a dataset as a raw CSV, JSON Lines or zip (images) body, options in the query string",
            description = "Streamed to storage, validated, cleaned, profiled and split in the request; answers the "
                    + "dataset with its first version and every report. Query: name, task (required), delimiter, "
                    + "text_column, label_column, feature_columns, target_column, split_column, ignore_columns, "
                    + "cleaning (unicode_nfc, whitespace, drop_duplicates, missing, missing_constant, "
                    + "missing_by_column, missing_tokens, conflicts, outliers, outlier_action, outlier_threshold, "
                    + "outlier_include_target, label_case), split (split_train, split_validation, split_test, "
                    + "split_seed, split_stratify, split_source), metadata[key]=value. An image_classification dataset "
                    + "is a zip: class folders (<label>/<file>, optionally under train/, validation/, test/) or a "
                    + "labels.csv manifest (file,label[,split]).")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "reviews",
            value = "text,label\nGreat phone,positive\nBroke after a week,negative\n")))
    @APIResponse(responseCode = "201", description = "The dataset and its first version (warnings listed)")
    @APIResponse(responseCode = "400", description = "invalid-utf8, nul-byte, malformed-csv, malformed-jsonl, "
            + "invalid-dataset-options, upload-incomplete")
    @APIResponse(responseCode = "403", description = "No datasets:write; storage-quota-exceeded")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another upload")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "415", description = "Neither CSV nor JSON Lines")
    @APIResponse(responseCode = "422", description = "empty-dataset, missing-header, missing-column, single-class, "
            + "non-numeric-target, ragged-row, field-too-long, too-many-rows, ... with row and column")
    public Response upload(InputStream in, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") Long contentLength, @HeaderParam(Idempotency.HEADER) String key,
            @Context UriInfo uri) {
        UploadOptions options = UploadQuery.parse(uri.getQueryParameters());
        return created(uploads.raw(in, options, contentType, contentLength, key));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a dataset as multipart/form-data (the portal's way)",
            description = "Parts, in this order: 'options' (application/json, optional: name, task, format, "
                    + "delimiter, column_map, cleaning, split, metadata) then 'file' (the CSV or JSON Lines). The "
                    + "file streams to storage like a raw body.")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, examples = @ExampleObject(
            name = "options part", value = "{\"name\": \"reviews\", \"task\": \"text_classification\", "
                    + "\"column_map\": {\"text\": \"review\", \"label\": \"stars\"}, \"split\": {\"seed\": 7}}")))
    @APIResponse(responseCode = "201", description = "The dataset and its first version")
    @APIResponse(responseCode = "400", description = "malformed-multipart, no file part, or as for a raw upload")
    @APIResponse(responseCode = "403", description = "No datasets:write; storage-quota-exceeded")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another upload")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "415", description = "The file part is neither CSV, JSON Lines nor a zip of images")
    @APIResponse(responseCode = "422", description = "As for a raw upload: empty-dataset, missing-column, ...")
    public Response uploadMultipart(InputStream in, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") Long contentLength, @HeaderParam(Idempotency.HEADER) String key) {
        DatasetUploads.Received received = uploads.multipart(in, contentType, contentLength, key);
        Response response = created(received.outcome());
        return received.keepAlive() ? response
                : Response.fromResponse(response).header("Connection", "close").build();
    }

    private static Response created(Idempotency.Outcome<DatasetView> outcome) {
        return Response.created(URI.create("/v1/datasets/" + outcome.body().id())).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List datasets, newest first, each with its newest version's reports; ?name= filters")
    @APIResponse(responseCode = "200", description = "A page of datasets")
    public Page<DatasetView> list(@BeanParam PageRequest page, @QueryParam("name") String name) {
        return datasets.list(page, name);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a dataset with its newest version's profile and reports")
    @APIResponse(responseCode = "200", description = "The dataset")
    @APIResponse(responseCode = "404", description = "No such dataset in this tenant")
    public DatasetView get(@PathParam("id") String id) {
        return datasets.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a dataset, all its versions and their blobs")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such dataset in this tenant")
    @APIResponse(responseCode = "409", description = "dataset-in-use: an unfinished job reads one of its versions")
    public Response delete(@PathParam("id") String id) {
        datasets.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/versions")
    @Operation(summary = "List a dataset's versions, newest first, with their reports")
    @APIResponse(responseCode = "200", description = "A page of versions")
    @APIResponse(responseCode = "404", description = "No such dataset in this tenant")
    public Page<DatasetVersionView> versions(@PathParam("id") String id, @BeanParam PageRequest page) {
        return versions.list(id, page);
    }
}
