package io.modelyard.billing.admin;

import io.modelyard.billing.statements.CreditGrantView;
import io.modelyard.billing.statements.InvoicePreviewView;
import io.modelyard.billing.statements.UsageSummaryView;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.tenant.TenantResolutionFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
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

@Path("/v1/admin/billing-accounts")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Platform operators only")
public class AdminBillingResource {

    private final TenantBillingAdministration billing;

    AdminBillingResource(TenantBillingAdministration billing) {
        this.billing = billing;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A tenant's billing account (its id is the tenant id): plan and external biller mapping")
    @APIResponse(responseCode = "200", description = "The billing account")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public BillingAccountView account(@PathParam("id") String id) {
        return billing.account(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Move a tenant to another plan (at once, for the whole current period) or map it to Stripe")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "upgrade",
            value = "{\"plan\": \"pro\", \"stripe_customer_id\": \"cus_NciAYcXfLnqBoz\"}")))
    @APIResponse(responseCode = "200", description = "The billing account")
    @APIResponse(responseCode = "400", description = "Unknown plan")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public BillingAccountView updateAccount(@PathParam("id") String id,
            @Valid @NotNull BillingRequests.UpdateBillingAccount request) {
        return billing.updateAccount(id, request);
    }

    @POST
    @Path("/{id}/credits")
    @Operation(summary = "Grant credits for a period: a quantity of a meter, or money off the invoice")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "requests", value = "{\"meter\": \"api_requests\", \"quantity\": 5000,"
                    + " \"reason\": \"incident 2026-11-03\"}"),
            @ExampleObject(name = "money", value = "{\"amount\": 2500, \"currency\": \"usd\","
                    + " \"reason\": \"goodwill\"}")}))
    @APIResponse(responseCode = "201", description = "The credit grant")
    @APIResponse(responseCode = "400", description = "Neither or both kinds of credit; wrong currency")
    @APIResponse(responseCode = "404", description = "No such tenant")
    @APIResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
    public Response grant(@PathParam("id") String id, @Valid @NotNull BillingRequests.GrantCredit request,
            @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        Idempotency.Outcome<CreditGrantView> outcome = billing.grant(id, request, idempotencyKey);
        return Response.status(201).entity(outcome.body())
                .header(Idempotency.REPLAYED_HEADER, outcome.replayed() ? "true" : null).build();
    }

    @GET
    @Path("/{id}/credits")
    @Operation(summary = "A tenant's credit grants, newest first")
    @APIResponse(responseCode = "200", description = "A page of credit grants")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public Page<CreditGrantView> credits(@PathParam("id") String id, @BeanParam PageRequest page) {
        return billing.credits(id, page);
    }

    @GET
    @Path("/{id}/usage")
    @Operation(summary = "A tenant's usage for a period against its plan")
    @APIResponse(responseCode = "200", description = "The usage summary")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public UsageSummaryView usage(@PathParam("id") String id, @QueryParam("period") String period) {
        return billing.usage(id, period);
    }

    @GET
    @Path("/{id}/invoice-preview")
    @Operation(summary = "A tenant's invoice preview for a period")
    @APIResponse(responseCode = "200", description = "The invoice preview")
    @APIResponse(responseCode = "404", description = "No such tenant")
    public InvoicePreviewView invoicePreview(@PathParam("id") String id, @QueryParam("period") String period) {
        return billing.invoicePreview(id, period);
    }
}
