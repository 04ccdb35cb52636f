package io.modelyard.auth;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/api-keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "API keys for programs")
public class ApiKeyResource {

    private final ApiKeyService keys;

    ApiKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @POST
    @Operation(summary = "Create an API key; its secret is shown in this answer only")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "serving",
            value = "{\"name\": \"checkout service\", \"scopes\": [\"predict\"], \"expires_at\": \"2027-06-30T00:00:00Z\"}")))
    @APIResponse(responseCode = "201", description = "The key, with its secret")
    @APIResponse(responseCode = "400", description = "Invalid name, scopes or expiry")
    @APIResponse(responseCode = "403", description = "Viewers cannot create keys; scopes beyond your own")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(@Valid @NotNull ApiKeyRequests.CreateApiKey request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<ApiKeyView> outcome = keys.create(request, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List API keys (never their secrets), newest first")
    @APIResponse(responseCode = "200", description = "A page of keys")
    public Page<ApiKeyView> list(@BeanParam PageRequest page,
            @QueryParam("include_revoked") @DefaultValue("false") boolean includeRevoked) {
        return keys.list(page, includeRevoked);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an API key")
    @APIResponse(responseCode = "200", description = "The key")
    @APIResponse(responseCode = "404", description = "No such key in this tenant")
    public ApiKeyView get(@PathParam("id") String id) {
        return keys.get(id);
    }

    @POST
    @Path("/{id}/revoke")
    @Operation(summary = "Revoke a key: the very next request with it is refused")
    @APIResponse(responseCode = "200", description = "The revoked key")
    @APIResponse(responseCode = "403", description = "Not your key and you are not an admin")
    @APIResponse(responseCode = "404", description = "No such key in this tenant")
    public ApiKeyView revoke(@PathParam("id") String id) {
        return keys.revoke(id);
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(summary = "Issue a replacement key; the old one works until old_key_expires_at (default 24 h)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "one hour overlap",
            value = "{\"old_key_expires_at\": \"2026-12-01T12:00:00Z\"}")))
    @APIResponse(responseCode = "201", description = "The new key, with its secret (a replay: without it)")
    @APIResponse(responseCode = "400", description = "An expiry in the past")
    @APIResponse(responseCode = "403", description = "Viewers cannot rotate keys; a member only their own; a later"
            + " expiry than the old key's needs an admin")
    @APIResponse(responseCode = "404", description = "No such key in this tenant")
    @APIResponse(responseCode = "409", description = "The key is revoked or expired; Idempotency-Key reused with"
            + " another body")
    public Response rotate(@PathParam("id") String id, @Valid ApiKeyRequests.RotateApiKey request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<ApiKeyView> outcome = keys.rotate(id, request, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }
}
