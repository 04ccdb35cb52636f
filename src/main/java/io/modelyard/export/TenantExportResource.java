package io.modelyard.export;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.storage.BlobStore;
import io.quarkus.security.Authenticated;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/tenant-exports")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tenant-exports", description = "Export all of a tenant's data as one zip archive (owners)")
public class TenantExportResource {

    private final TenantExportService exports;
    private final BlobStore blobs;

    TenantExportResource(TenantExportService exports, BlobStore blobs) {
        this.exports = exports;
        this.blobs = blobs;
    }

    @POST
    @Operation(summary = "Export everything the tenant has as one zip archive, written by a job (202; owners)",
            description = "Datasets (every version's rows, upload and reports), models (artifacts, cards,"
                    + " evaluations), aliases, jobs and their events, usage, invoice previews, the audit log,"
                    + " members and API key metadata, with a manifest of every file's size and SHA-256. Follow"
                    + " the job with GET /v1/jobs/{job_id}/events.")
    @RequestBody(required = false, content = @Content(examples = @ExampleObject(name = "empty", value = "{}")))
    @APIResponse(responseCode = "202", description = "The queued export, with its job_id")
    @APIResponse(responseCode = "400", description = "Invalid body (unknown field) or Idempotency-Key")
    @APIResponse(responseCode = "403", description = "owner-required: only an owner (a person, not an API key)")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(TenantExportRequests.CreateTenantExport request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<TenantExportView> created = exports.create(request, idempotencyKey);
        return Response.accepted(created.body())
                .header(Idempotency.REPLAYED_HEADER, created.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List the tenant's exports, newest first (owners)")
    @APIResponse(responseCode = "200", description = "A page of exports")
    @APIResponse(responseCode = "403", description = "owner-required: only an owner (a person, not an API key)")
    public Page<TenantExportView> list(@BeanParam PageRequest page) {
        return exports.list(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an export: state (as its job's), archive size, SHA-256 and expiry (owners)")
    @APIResponse(responseCode = "200", description = "The export")
    @APIResponse(responseCode = "403", description = "owner-required: only an owner (a person, not an API key)")
    @APIResponse(responseCode = "404", description = "No such export in this tenant")
    public TenantExportView get(@PathParam("id") String id) {
        return exports.get(id);
    }

    @GET
    @Path("/{id}/download")
    @Produces({"application/zip", MediaType.APPLICATION_JSON})
    @Operation(summary = "Download the export's zip archive, streamed (owners)")
    @APIResponse(responseCode = "200", description = "The archive (application/zip); manifest.json lists its files")
    @APIResponse(responseCode = "403", description = "owner-required: only an owner (a person, not an API key)")
    @APIResponse(responseCode = "404", description = "No such export in this tenant")
    @APIResponse(responseCode = "409", description = "export-not-ready: the job has not succeeded (yet)")
    @APIResponse(responseCode = "410", description = "export-expired: deleted after modelyard.exports.retention")
    public Response download(@PathParam("id") String id) {
        TenantExportService.Download download = exports.download(id);
        StreamingOutput body = out -> {
            try (InputStream in = blobs.open(download.blobKey(), download.sha256())) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "application/zip")
                .header("Content-Length", download.sizeBytes())
                .header("Content-Disposition", "attachment; filename=\"" + download.filename() + "\"")
                .build();
    }
}
