package io.modelyard.billing.statements;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/invoices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing", description = "Usage, quotas, invoices and plans")
public class InvoiceResource {

    private final UsageService usage;

    InvoiceResource(UsageService usage) {
        this.usage = usage;
    }

    @GET
    @Path("/preview")
    @Operation(summary = "Invoice preview for a period (owners and admins): line items per meter, credits, total",
            description = "period: YYYY-MM (default: the current month, UTC, still open)")
    @APIResponse(responseCode = "200", description = "The invoice preview; amounts in minor units")
    @APIResponse(responseCode = "400", description = "Malformed or future period")
    @APIResponse(responseCode = "403", description = "Your role does not allow it")
    public InvoicePreviewView preview(@QueryParam("period") String period) {
        return usage.invoicePreview(period);
    }
}
