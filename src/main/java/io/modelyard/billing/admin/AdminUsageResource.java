package io.modelyard.billing.admin;

import io.modelyard.billing.Period;
import io.modelyard.billing.statements.UsageExports;
import io.modelyard.billing.statements.UsageFilter;
import io.modelyard.billing.statements.UsageService;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.TenantContext;
import io.modelyard.tenant.TenantResolutionFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/admin/usage")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Platform operators only")
public class AdminUsageResource {

    private final TenantBillingAdministration billing;
    private final UsageExports exports;
    private final TenantContext context;
    private final PlatformClock clock;

    AdminUsageResource(TenantBillingAdministration billing, UsageExports exports, TenantContext context,
            PlatformClock clock) {
        this.billing = billing;
        this.exports = exports;
        this.context = context;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "Tenants by usage of a meter in a period, most first",
            description = "meter: default api_requests; period: YYYY-MM, default the current month")
    @APIResponse(responseCode = "200", description = "A page of tenants with their usage")
    public Page<TenantUsageView> tenantsByUsage(@QueryParam("meter") String meter,
            @QueryParam("period") String period, @BeanParam PageRequest page) {
        return billing.tenantsByUsage(meter, period, page);
    }

    @GET
    @Path("/export")
    @Produces({"text/csv", "application/cloudevents-batch+json", MediaType.APPLICATION_JSON})
    @Operation(summary = "Export the ledger for an external biller: CSV, CloudEvents or Stripe meter events",
            description = "format: csv (default), cloudevents (CloudEvents 1.0 JSON batch) or stripe (an array of"
                    + " billing meter events: event_name, payload.stripe_customer_id, payload.value, identifier,"
                    + " timestamp); from/to: timestamps, to excluded (default: this period so far); tenant_id and"
                    + " meter narrow it. Export closed windows: re-exporting one repeats the same identifiers.")
    @APIResponse(responseCode = "200", description = "The usage events, oldest first")
    @APIResponse(responseCode = "400", description = "Unknown format or malformed range")
    public Response export(@QueryParam("format") @DefaultValue("csv") String format,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("tenant_id") String tenantId, @QueryParam("meter") String meter) {
        PlanAdministration.requireOperator(context);
        UsageExports.Format chosen;
        try {
            chosen = UsageExports.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("format", "must be csv, cloudevents or stripe");
        }
        Instant end = UsageService.instant(to, "to", clock.now());
        Instant start = UsageService.instant(from, "from", Period.of(clock.now()).start());
        if (!end.isAfter(start)) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        String type = switch (chosen) {
            case CSV -> "text/csv; charset=utf-8";
            case CLOUDEVENTS -> "application/cloudevents-batch+json";
            case STRIPE -> MediaType.APPLICATION_JSON;
        };
        String extension = chosen == UsageExports.Format.CSV ? "csv" : "json";
        return Response.ok(exports.export(chosen, start, end, emptyToNull(tenantId), UsageFilter.meter(meter)), type)
                .header("Content-Disposition", "attachment; filename=\"usage-" + chosen.name().toLowerCase(Locale.ROOT)
                        + "." + extension + "\"")
                .build();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
