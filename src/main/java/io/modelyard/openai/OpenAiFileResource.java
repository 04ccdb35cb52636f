package io.modelyard.openai;

import io.modelyard.common.Idempotency;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/openai/v1/files")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "openai", description = "OpenAI-compatible files and fine-tuning (for the OpenAI SDKs with base_url set)")
public class OpenAiFileResource {

    private final OpenAiFiles files;

    OpenAiFileResource(OpenAiFiles files) {
        this.files = files;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload a fine-tune file (JSON Lines of {text, label}, chat examples, or prompt/completion):"
            + " it becomes a text-classification dataset")
    @APIResponse(responseCode = "200", description = "The file object (its id is the dataset's)")
    public OpenAiViews.FileObject upload(@RestForm("file") FileUpload file, @RestForm("purpose") String purpose,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return files.upload(file == null ? null : file.uploadedFile(), file == null ? null : file.fileName(), purpose,
                idempotencyKey);
    }

    @GET
    @Operation(summary = "List files (the tenant's datasets), newest first")
    @APIResponse(responseCode = "200", description = "A list of file objects")
    public OpenAiViews.ListOf<OpenAiViews.FileObject> list(@QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @QueryParam("purpose") String purpose) {
        return files.list(after, limit, purpose);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a file")
    @APIResponse(responseCode = "200", description = "The file object")
    public OpenAiViews.FileObject get(@PathParam("id") String id) {
        return files.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a file (the dataset and its versions)")
    @APIResponse(responseCode = "200", description = "{id, object: file, deleted: true}")
    public OpenAiViews.Deleted delete(@PathParam("id") String id) {
        return files.delete(id);
    }
}
