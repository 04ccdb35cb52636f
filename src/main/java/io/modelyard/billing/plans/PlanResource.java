package io.modelyard.billing.plans;

import io.modelyard.common.Page;
import io.modelyard.common.ProblemException;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The plan catalogue, for anyone signed in (to compare and choose). */
@Path("/v1/plans")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing", description = "Usage, quotas, invoices and plans")
public class PlanResource {

    private final Plans plans;

    PlanResource(Plans plans) {
        this.plans = plans;
    }

    @GET
    @Operation(summary = "List the plans: what each includes, its limits, rate limits and prices")
    @APIResponse(responseCode = "200", description = "Every plan, cheapest first")
    public Page<PlanView> list() {
        return Page.complete(plans.all().stream().map(PlanView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a plan")
    @APIResponse(responseCode = "200", description = "The plan")
    @APIResponse(responseCode = "404", description = "No such plan")
    public PlanView get(@PathParam("id") String id) {
        return plans.find(id).map(PlanView::of).orElseThrow(() -> ProblemException.notFound("plan", id));
    }
}
