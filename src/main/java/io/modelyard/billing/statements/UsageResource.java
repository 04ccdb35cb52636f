package io.modelyard.billing.statements;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/usage")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "billing", description = "Usage, quotas, invoices and plans")
public class UsageResource {

    private final UsageService usage;

    UsageResource(UsageService usage) {
        this.usage = usage;
    }

    @GET
    @Operation(summary = "A period's usage per meter against what the plan includes and its limit",
            description = "period: YYYY-MM (default: the current month, UTC)")
    @APIResponse(responseCode = "200", description = "The usage summary")
    @APIResponse(responseCode = "400", description = "Malformed or future period")
    public UsageSummaryView summary(@QueryParam("period") String period) {
        return usage.summary(period);
    }

    @GET
    @Path("/daily")
    @Operation(summary = "Usage by day (UTC), per meter, optionally by API key and model",
            description = "from/to: dates, both included (default: this period to today); group_by: api_key,model")
    @APIResponse(responseCode = "200", description = "Daily buckets, oldest first")
    @APIResponse(responseCode = "400", description = "Malformed filter or range over 366 days")
    public Page<UsageBucketView> daily(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("meter") String meter, @QueryParam("api_key_id") String apiKeyId,
            @QueryParam("model_id") String modelId, @QueryParam("group_by") String groupBy) {
        return Page.complete(usage.daily(from, to, UsageFilter.of(meter, apiKeyId, modelId, null), groupBy));
    }

    @GET
    @Path("/hourly")
    @Operation(summary = "Usage by hour (UTC), per meter, optionally by API key and model",
            description = "from/to: timestamps, to excluded (default: the last 24 hours); group_by: api_key,model")
    @APIResponse(responseCode = "200", description = "Hourly buckets, oldest first")
    @APIResponse(responseCode = "400", description = "Malformed filter or range over 31 days")
    public Page<UsageBucketView> hourly(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("meter") String meter, @QueryParam("api_key_id") String apiKeyId,
            @QueryParam("model_id") String modelId, @QueryParam("group_by") String groupBy) {
        return Page.complete(usage.hourly(from, to, UsageFilter.of(meter, apiKeyId, modelId, null), groupBy));
    }

    @GET
    @Path("/events")
    @Operation(summary = "The usage ledger, newest first, by meter, API key, model or job")
    @APIResponse(responseCode = "200", description = "A page of usage events")
    public Page<UsageEventView> events(@BeanParam PageRequest page, @QueryParam("meter") String meter,
            @QueryParam("api_key_id") String apiKeyId, @QueryParam("model_id") String modelId,
            @QueryParam("job_id") String jobId) {
        return usage.events(page, UsageFilter.of(meter, apiKeyId, modelId, jobId));
    }

    @GET
    @Path("/events/{id}")
    @Operation(summary = "Get one usage event")
    @APIResponse(responseCode = "200", description = "The usage event")
    @APIResponse(responseCode = "404", description = "No such usage event in this tenant")
    public UsageEventView event(@PathParam("id") String id) {
        return usage.event(id);
    }
}
