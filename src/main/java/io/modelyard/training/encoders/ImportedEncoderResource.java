package io.modelyard.training.encoders;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/encoders")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "training", description = "Train models on your dataset versions")
public class ImportedEncoderResource {

    private final ImportedEncoderService encoders;

    ImportedEncoderResource(ImportedEncoderService encoders) {
        this.encoders = encoders;
    }

    @POST
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Import a TorchScript text encoder: a zip of encoder.pt (token indexes in, one vector per"
            + " text out) and vocabulary.txt, to train classification heads on")
    @APIResponse(responseCode = "201", description = "The stored encoder and its vocabulary size")
    @APIResponse(responseCode = "400", description = "No name")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another name or other bytes")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "422", description = "invalid-encoder: not such a zip; nothing kept")
    public Response upload(@QueryParam("name") String name, InputStream body,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<ImportedEncoderView> outcome = encoders.upload(name, body, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List imported encoders, newest first")
    @APIResponse(responseCode = "200", description = "A page of imported encoders")
    public Page<ImportedEncoderView> list(@BeanParam PageRequest page) {
        return encoders.list(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an imported encoder")
    @APIResponse(responseCode = "200", description = "The imported encoder")
    @APIResponse(responseCode = "404", description = "No such imported encoder in this tenant")
    public ImportedEncoderView get(@PathParam("id") String id) {
        return encoders.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an imported encoder (models trained on it keep their own copy)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such imported encoder in this tenant")
    public Response delete(@PathParam("id") String id) {
        encoders.delete(id);
        return Response.noContent().build();
    }
}
