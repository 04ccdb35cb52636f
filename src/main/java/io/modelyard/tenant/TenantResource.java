package io.modelyard.tenant;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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

@Path("/v1/tenants")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Sign-up and your tenants")
public class TenantResource {

    private final TenantService tenants;
    private final TenantDeletion deletion;

    TenantResource(TenantService tenants, TenantDeletion deletion) {
        this.tenants = tenants;
        this.deletion = deletion;
    }

    @POST
    @Operation(summary = "Create a tenant; you become its owner (self-service sign-up)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "acme", value = "{\"name\": \"Acme Analytics\"}")))
    @APIResponse(responseCode = "201", description = "The tenant was created")
    @APIResponse(responseCode = "400", description = "Invalid name")
    @APIResponse(responseCode = "401", description = "Not logged in")
    @APIResponse(responseCode = "403", description = "API keys cannot create tenants")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response create(@Valid @NotNull TenantRequests.CreateTenant request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<TenantView> outcome = tenants.signUp(request, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Operation(summary = "List the tenants you belong to, with your role in each")
    @APIResponse(responseCode = "200", description = "Your tenants")
    public Page<TenantView> list() {
        return Page.complete(tenants.listMine());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get one of your tenants")
    @APIResponse(responseCode = "200", description = "The tenant")
    @APIResponse(responseCode = "404", description = "Not one of your tenants")
    public TenantView get(@PathParam("id") String id) {
        return tenants.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Rename the current tenant and/or set its data retention (owners and admins)")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "rename", value = "{\"name\": \"Acme AI\"}"),
            @ExampleObject(name = "retention", value = "{\"retention\": {\"datasets_days\": 90,"
                    + " \"models_days\": 365, \"batch_results_days\": 7}}")}))
    @APIResponse(responseCode = "200", description = "The renamed tenant")
    @APIResponse(responseCode = "403", description = "Your role does not allow it")
    @APIResponse(responseCode = "404", description = "Not the current tenant")
    public TenantView update(@PathParam("id") String id, @Valid @NotNull TenantRequests.UpdateTenant request) {
        return tenants.update(id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a tenant and everything it owns (owner only)",
            description = "Confirm with the tenant's exact name in `confirm`. The tenant stops at once: its API keys "
                    + "and sessions answer 401, event streams close, unfinished jobs are cancelled. Its owner can "
                    + "restore it until `erase_after` (the grace period, 7 days by default); then every dataset, "
                    + "model, job, key, member and blob of it is erased, and its data key destroyed. Billing "
                    + "records are kept for their legal retention period without personal data.")
    @APIResponse(responseCode = "202", description = "Deleted; erased after erase_after unless restored")
    @APIResponse(responseCode = "400", description = "confirm is missing or is not the tenant's name")
    @APIResponse(responseCode = "403", description = "Not an owner, or an API key")
    @APIResponse(responseCode = "404", description = "Not one of your tenants")
    public Response delete(@PathParam("id") String id, @QueryParam("confirm") String confirm) {
        return Response.accepted(deletion.deleteAsOwner(id, confirm)).build();
    }

    @POST
    @Path("/{id}/restore")
    @Operation(summary = "Restore a deleted tenant within its grace period (owner only)")
    @APIResponse(responseCode = "200", description = "The restored tenant")
    @APIResponse(responseCode = "403", description = "Not an owner, or an API key")
    @APIResponse(responseCode = "404", description = "Not one of your tenants")
    @APIResponse(responseCode = "409", description = "Not deleted, or its erasure has begun")
    public TenantView restore(@PathParam("id") String id) {
        return deletion.restoreAsOwner(id);
    }
}
