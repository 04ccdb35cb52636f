package io.modelyard.tenant;

import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/members")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Sign-up and your tenants")
public class MemberResource {

    private final MemberService members;

    MemberResource(MemberService members) {
        this.members = members;
    }

    @GET
    @Operation(summary = "List the members of the current tenant")
    @APIResponse(responseCode = "200", description = "A page of members")
    public Page<MemberView> list(@BeanParam PageRequest page) {
        return members.list(page);
    }

    @POST
    @Operation(summary = "Invite a person by email (owners and admins); they join when they next log in")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "invite",
            value = "{\"email\": \"dana@example.com\", \"role\": \"member\"}")))
    @APIResponse(responseCode = "201", description = "The pending membership")
    @APIResponse(responseCode = "400", description = "Invalid email or role")
    @APIResponse(responseCode = "403", description = "Your role does not allow it")
    @APIResponse(responseCode = "409", description = "Already a member, or Idempotency-Key reused")
    public Response invite(@Valid @NotNull TenantRequests.InviteMember request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<MemberView> outcome = members.invite(request, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a member")
    @APIResponse(responseCode = "200", description = "The member")
    @APIResponse(responseCode = "404", description = "No such member in this tenant")
    public MemberView get(@PathParam("id") String id) {
        return members.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a member's role (owners and admins; only owners touch owners)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "promote", value = "{\"role\": \"admin\"}")))
    @APIResponse(responseCode = "200", description = "The member")
    @APIResponse(responseCode = "403", description = "Your role does not allow it")
    @APIResponse(responseCode = "404", description = "No such member in this tenant")
    @APIResponse(responseCode = "409", description = "It would leave the tenant without an owner")
    public MemberView update(@PathParam("id") String id, @Valid @NotNull TenantRequests.UpdateMember request) {
        return members.changeRole(id, request);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a member, cancel an invitation, or leave the tenant yourself")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", description = "Your role does not allow it")
    @APIResponse(responseCode = "404", description = "No such member in this tenant")
    @APIResponse(responseCode = "409", description = "It would leave the tenant without an owner")
    public Response remove(@PathParam("id") String id) {
        members.remove(id);
        return Response.noContent().build();
    }
}
