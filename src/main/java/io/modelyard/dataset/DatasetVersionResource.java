package io.modelyard.dataset;

import io.modelyard.common.Idempotency;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetRequests.CleanVersion;
import io.modelyard.dataset.version.RowPage;
import io.modelyard.dataset.version.VersionRow;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/dataset-versions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "Upload, validate, clean, profile and split datasets")
public class DatasetVersionResource {

    private final DatasetVersions versions;
    private final DatasetImages images;

    DatasetVersionResource(DatasetVersions versions, DatasetImages images) {
        this.versions = versions;
        this.images = images;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a dataset version with its schema, validation and cleaning reports and profile")
    @APIResponse(responseCode = "200", description = "The version")
    @APIResponse(responseCode = "404", description = "No such version in this tenant")
    public DatasetVersionView get(@PathParam("id") String id) {
        return versions.get(id);
    }

    @POST
    @Path("/{id}/clean")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a new version with other cleaning (or split) options; the source is not changed",
            description = "From the dataset's raw upload by default, or from this version's rows with "
                    + "\"from\": \"version\". Options left out are this version's.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "drop conflicts, lower-case labels",
            value = "{\"cleaning\": {\"conflicts\": \"drop\", \"label_case\": \"lower\"}, \"split\": {\"seed\": 7}}")))
    @APIResponse(responseCode = "201", description = "The new version")
    @APIResponse(responseCode = "400", description = "invalid-dataset-options")
    @APIResponse(responseCode = "403", description = "No datasets:write; storage-quota-exceeded")
    @APIResponse(responseCode = "404", description = "No such version in this tenant")
    @APIResponse(responseCode = "422", description = "The options leave the dataset unusable (e.g. no-usable-rows)")
    public Response clean(@PathParam("id") String id, CleanVersion request,
            @HeaderParam(Idempotency.HEADER) String key) throws IOException {
        Idempotency.Outcome<DatasetVersionView> outcome = versions.clean(id, request, key);
        return Response.created(URI.create("/v1/dataset-versions/" + outcome.body().id())).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    /** One row: its 0-based index in the version, its values by column, its split. */
    public record RowView(String object, long index, Map<String, String> values, String split) {
    }

    /** A page of rows, offset-paged (rows have no ids). */
    public record RowsPage(String object, List<String> columns, List<RowView> data, long offset, int limit,
            boolean hasMore, Long nextOffset) {
    }

    @GET
    @Path("/{id}/rows")
    @Operation(summary = "Page through a version's rows with their splits (?offset=0&limit=100, limit up to 1000)")
    @APIResponse(responseCode = "200", description = "A page of rows")
    @APIResponse(responseCode = "400", description = "Invalid offset or limit")
    @APIResponse(responseCode = "404", description = "No such version in this tenant")
    public RowsPage rows(@PathParam("id") String id, @QueryParam("offset") @DefaultValue("0") String offset,
            @QueryParam("limit") @DefaultValue("100") String limit) throws IOException {
        RowPage page = versions.rows(id, number(offset, "offset"), (int) Math.min(Integer.MAX_VALUE,
                number(limit, "limit")));
        List<RowView> rows = page.rows().stream().map(r -> row(page.columns(), r)).toList();
        return new RowsPage("list", page.columns(), rows, page.offset(), page.limit(), page.hasMore(),
                page.hasMore() ? page.offset() + rows.size() : null);
    }

    @GET
    @Path("/{id}/download")
    @Produces({"text/csv", "application/x-ndjson", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download a version as CSV (formula-looking cells escaped) or JSON Lines, streamed",
            description = "?format=csv (default) or jsonl; ?include_split=false leaves out the split column.")
    @APIResponse(responseCode = "200", description = "The rows, with a split column")
    @APIResponse(responseCode = "400", description = "Unknown format")
    @APIResponse(responseCode = "404", description = "No such version in this tenant")
    public Response download(@PathParam("id") String id, @QueryParam("format") @DefaultValue("csv") String format,
            @QueryParam("include_split") @DefaultValue("true") boolean includeSplit) {
        DatasetVersions.Export export = versions.export(id, format, includeSplit);
        StreamingOutput body = out -> export.rows().writeTo(out);
        return Response.ok(body, export.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + export.filename() + "\"")
                .build();
    }

    @GET
    @Path("/{id}/images")
    @Operation(summary = "Page through an image version's images with labels, splits, sizes and file names",
            description = "?offset=0&limit=100 (limit up to 1000), in row order. Each image links to its file and "
                    + "its thumbnail.")
    @APIResponse(responseCode = "200", description = "A page of images")
    @APIResponse(responseCode = "400", description = "Invalid offset or limit; not-an-image-dataset")
    @APIResponse(responseCode = "404", description = "No such version in this tenant")
    public DatasetImages.ImagesPage images(@PathParam("id") String id,
            @QueryParam("offset") @DefaultValue("0") String offset,
            @QueryParam("limit") @DefaultValue("100") String limit) throws IOException {
        return images.page(id, number(offset, "offset"), (int) Math.min(Integer.MAX_VALUE, number(limit, "limit")));
    }

    @GET
    @Path("/{id}/images/{image_id}")
    @Produces("image/*")
    @Operation(summary = "An image as uploaded")
    @APIResponse(responseCode = "200", description = "The image file")
    @APIResponse(responseCode = "404", description = "No such version in this tenant, or no such image in it")
    public Response image(@PathParam("id") String id, @PathParam("image_id") String imageId) throws IOException {
        return file(images.image(id, imageId));
    }

    @GET
    @Path("/{id}/images/{image_id}/thumbnail")
    @Produces("image/jpeg")
    @Operation(summary = "An image's thumbnail (JPEG, longest side 96 px)")
    @APIResponse(responseCode = "200", description = "The thumbnail")
    @APIResponse(responseCode = "404", description = "No such version in this tenant, or no such image in it")
    public Response thumbnail(@PathParam("id") String id, @PathParam("image_id") String imageId)
            throws IOException {
        return file(images.thumbnail(id, imageId));
    }

    private static Response file(DatasetImages.ImageFile file) {
        // Uploaded bytes are served as the image type sniffed at upload and never sniffed again by a browser.
        return Response.ok(file.bytes(), file.mediaType()).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private, max-age=3600").build();
    }

    private static RowView row(List<String> columns, VersionRow row) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            values.put(columns.get(i), row.values().get(i));
        }
        return new RowView("dataset_row", row.index(), values, row.split().id());
    }

    private static long number(String value, String field) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(field, "must be a whole number");
        }
    }
}
