package io.modelyard.billing.statements;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/credits")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing", description = "Usage, quotas, invoices and plans")
public class CreditResource {

    private final UsageService usage;

    CreditResource(UsageService usage) {
        this.usage = usage;
    }

    @GET
    @Operation(summary = "Credits granted to your tenant, newest first (owners and admins)")
    @APIResponse(responseCode = "200", description = "A page of credit grants")
    public Page<CreditGrantView> list(@BeanParam PageRequest page) {
        return usage.credits(page);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a credit grant")
    @APIResponse(responseCode = "200", description = "The credit grant")
    @APIResponse(responseCode = "404", description = "No such credit grant in this tenant")
    public CreditGrantView get(@PathParam("id") String id) {
        return usage.credit(id);
    }
}
