package io.modelyard.tenant;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/admin/tenants")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Platform operators only")
public class AdminTenantResource {

    private final TenantAdministration administration;

    AdminTenantResource(TenantAdministration administration) {
        this.administration = administration;
    }

    @GET
    @Operation(summary = "List all tenants, newest first")
    @APIResponse(responseCode = "200", description = "A page of tenants")
    @APIResponse(responseCode = "403", description = "Not a platform operator")
    public Page<AdminTenantView> list(@BeanParam PageRequest page, @QueryParam("status") String status) {
        return administration.list(page, status == null ? null : parseStatus(status));
    }

    private static TenantStatus parseStatus(String value) {
        try {
            return TenantStatus.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw io.modelyard.common.ProblemException.invalidField("status", "must be active or suspended");
        }
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tenant")
    @APIResponse(responseCode = "200", description = "The tenant")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public AdminTenantView get(@PathParam("id") String id) {
        return administration.get(id);
    }

    @POST
    @Path("/{id}/suspend")
    @Operation(summary = "Suspend a tenant: every call for it answers 403 until resumed")
    @APIResponse(responseCode = "200", description = "The suspended tenant")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public AdminTenantView suspend(@PathParam("id") String id, @Valid TenantRequests.SuspendTenant request) {
        return administration.suspend(id, request == null ? null : request.reason());
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a suspended tenant")
    @APIResponse(responseCode = "200", description = "The active tenant")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public AdminTenantView resume(@PathParam("id") String id) {
        return administration.resume(id);
    }
}
