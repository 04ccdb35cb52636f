package io.modelyard.model;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "The model registry")
public class ModelResource {

    private final ModelRegistry registry;

    ModelResource(ModelRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("/models")
    @Operation(summary = "List models, newest first; ?name= narrows to one model's versions")
    @APIResponse(responseCode = "200", description = "A page of models")
    public Page<ModelView> list(@BeanParam PageRequest page, @QueryParam("name") String name) {
        return registry.list(page, name);
    }

    @GET
    @Path("/models/{id}")
    @Operation(summary = "Get a model with its evaluation on the held-out test split")
    @APIResponse(responseCode = "200", description = "The model")
    @APIResponse(responseCode = "404", description = "No such model in this tenant (or deleted)")
    public ModelView get(@PathParam("id") String id) {
        return registry.get(id);
    }

    @GET
    @Path("/models/{id}/card")
    @Operation(summary = "The generated model card: intended use, data, per-class metrics, known limits")
    @APIResponse(responseCode = "200", description = "The model card, also as Markdown")
    @APIResponse(responseCode = "404", description = "No such model in this tenant")
    public ModelCard card(@PathParam("id") String id) {
        return registry.card(id);
    }

    @DELETE
    @Path("/models/{id}")
    @Operation(summary = "Delete a model and its artifact")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such model in this tenant")
    @APIResponse(responseCode = "409", description = "An alias still points at it")
    public Response delete(@PathParam("id") String id) {
        registry.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/model-aliases")
    @Operation(summary = "List the tenant's model aliases")
    @APIResponse(responseCode = "200", description = "All aliases")
    public Page<AliasView> aliases() {
        return Page.complete(registry.listAliases());
    }

    /** @param modelId the model version the alias should point at */
    public record SetAlias(@NotBlank String modelId) {
    }

    @PUT
    @Path("/model-aliases/{alias}")
    @Operation(summary = "Point an alias (e.g. production) at a model version (admins)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "promote",
            value = "{\"model_id\": \"mdl_01jd7x9k2m3n4p5q6r7s8t9v0w\"}")))
    @APIResponse(responseCode = "200", description = "The alias")
    @APIResponse(responseCode = "400", description = "Invalid alias name")
    @APIResponse(responseCode = "403", description = "Only admins move aliases")
    @APIResponse(responseCode = "404", description = "No such model in this tenant")
    public AliasView setAlias(@PathParam("alias") String alias, @Valid @NotNull SetAlias request) {
        return registry.setAlias(alias, request.modelId());
    }

    @DELETE
    @Path("/model-aliases/{alias}")
    @Operation(summary = "Remove an alias (admins)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No such alias")
    public Response removeAlias(@PathParam("alias") String alias) {
        registry.removeAlias(alias);
        return Response.noContent().build();
    }
}
