package io.modelyard.training.vectors;

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

@Path("/v1/word-vectors")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "training", description = "Train models on your dataset versions")
public class WordVectorsResource {

    private final WordVectorsService vectors;

    WordVectorsResource(WordVectorsService vectors) {
        this.vectors = vectors;
    }

    @POST
    @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload word vectors (word2vec or GloVe text format) to initialise text embeddings")
    @APIResponse(responseCode = "201", description = "The stored word vectors: dimensions and words")
    @APIResponse(responseCode = "400", description = "No name")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another name or other bytes")
    @APIResponse(responseCode = "413", description = "Larger than the plan's upload limit; nothing kept")
    @APIResponse(responseCode = "422", description = "invalid-word-vectors, naming the line; nothing kept")
    public Response upload(@QueryParam("name") String name, InputStream body,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<WordVectorsView> outcome = vectors.upload(name, body, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List uploaded word vectors, newest first")
    @APIResponse(responseCode = "200", description = "A page of word vectors")
    public Page<WordVectorsView> list(@BeanParam PageRequest page) {
        return vectors.list(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get uploaded word vectors")
    @APIResponse(responseCode = "200", description = "The word vectors")
    @APIResponse(responseCode = "404", description = "No such word vectors in this tenant")
    public WordVectorsView get(@PathParam("id") String id) {
        return vectors.get(id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete uploaded word vectors (models trained with them keep their embeddings)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such word vectors in this tenant")
    public Response delete(@PathParam("id") String id) {
        vectors.delete(id);
        return Response.noContent().build();
    }
}
