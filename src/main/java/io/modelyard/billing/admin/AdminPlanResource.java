package io.modelyard.billing.admin;

import io.modelyard.billing.plans.PlanView;
import io.modelyard.common.Page;
import io.modelyard.tenant.TenantResolutionFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

@Path("/v1/admin/plans")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Platform operators only")
public class AdminPlanResource {

    private final PlanAdministration plans;

    AdminPlanResource(PlanAdministration plans) {
        this.plans = plans;
    }

    @GET
    @Operation(summary = "List the plans")
    @APIResponse(responseCode = "200", description = "Every plan")
    @APIResponse(responseCode = "403", description = "Not a platform operator")
    public Page<PlanView> list() {
        return Page.complete(plans.list());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a plan")
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "404", description = "No such plan")
    public PlanView get(@PathParam("id") String id) {
        return plans.get(id);
    }

    @POST
    @Operation(summary = "Create a plan (for example a custom enterprise deal)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "custom", value = "{\"id\": \"acme-custom\","
            + " \"display_name\": \"Acme custom\", \"base_price\": 50000, \"max_upload_bytes\": 1073741824,"
            + " \"storage_cap_bytes\": 107374182400, \"max_concurrent_jobs\": 8,"
            + " \"max_image_pixels_per_request\": 67108864, \"rate_limits\": {\"api_key\":"
            + " {\"requests_per_second\": 200, \"burst\": 400}, \"tenant\": {\"requests_per_second\": 500, \"burst\":"
            + " 1000}}, \"meters\": {\"predictions\": {\"included\": 5000000, \"quota\": \"hard\", \"limit\": 8000000,"
            + " \"unit_price\": 0.02}}}")))
    @APIResponse(responseCode = "201", description = "The plan")
    @APIResponse(responseCode = "400", description = "Invalid plan")
    @APIResponse(responseCode = "409", description = "A plan with this id exists")
    public Response create(@Valid @NotNull BillingRequests.CreatePlan request) {
        return Response.status(201).entity(plans.create(request)).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Edit a plan: limits, rate limits, price; meters named are replaced whole",
            description = "Takes effect at once on every instance, for every tenant on the plan. A field left out is"
                    + " unchanged; max_image_pixels_per_request: null puts the plan back on the platform's default.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "more free requests",
            value = "{\"meters\": {\"api_requests\": {\"included\": 20000, \"quota\": \"hard\", \"limit\": 20000,"
                    + " \"unit_price\": 0}}}")))
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "400", description = "Invalid change")
    @APIResponse(responseCode = "404", description = "No such plan")
    public PlanView update(@PathParam("id") String id, @Valid @NotNull BillingRequests.UpdatePlan request) {
        return plans.update(id, request);
    }
}
