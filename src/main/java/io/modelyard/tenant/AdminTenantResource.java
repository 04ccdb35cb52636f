package io.modelyard.tenant;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
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
    private final TenantDeletion deletion;

    AdminTenantResource(TenantAdministration administration, TenantDeletion deletion) {
        this.administration = administration;
        this.deletion = deletion;
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
            return TenantStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("status", "must be active, suspended, deleting or erased");
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

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a tenant: it stops at once and is erased after the grace period",
            description = "Confirm with the tenant's exact name in `confirm`. `grace` (ISO-8601, e.g. PT0S) may "
                    + "shorten the configured grace period, for a customer who asks for immediate erasure.")
    @APIResponse(responseCode = "202", description = "Deleted; erased after erase_after unless restored")
    @APIResponse(responseCode = "400", description = "confirm is not the tenant's name, or grace is invalid")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public Response delete(@PathParam("id") String id, @QueryParam("confirm") String confirm,
            @QueryParam("grace") String grace) {
        return Response.accepted(deletion.deleteAsOperator(id, confirm, grace == null ? null : parseGrace(grace)))
                .build();
    }

    private static Duration parseGrace(String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("grace", "must be an ISO-8601 duration such as PT0S or P3D");
        }
    }

    @POST
    @Path("/{id}/restore")
    @Operation(summary = "Restore a deleted tenant within its grace period")
    @APIResponse(responseCode = "200", description = "The restored tenant")
    @APIResponse(responseCode = "404", description = "No such tenant")
    @APIResponse(responseCode = "409", description = "Not deleted, or its erasure has begun")
    public AdminTenantView restore(@PathParam("id") String id) {
        return deletion.restoreAsOperator(id);
    }
}
