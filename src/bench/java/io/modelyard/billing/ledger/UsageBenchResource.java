package io.modelyard.billing.ledger;

import io.modelyard.billing.BillingConfig;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.ProblemException;
import io.modelyard.common.TypedId;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The metering benchmark's door ({@code bench/metering.sh}), served only with
 * {@code modelyard.billing.bench-enabled=true} and never in production (it has no authentication):
 * {@code POST /bench/usage?tenant_id=&events=N} appends N {@code api_requests} events for the tenant through the
 * ledger writer — the same batches, stream and aggregator as request metering — and answers once they are
 * committed. One HTTP request per event could not load the ledger on a machine where the HTTP path itself is the
 * bottleneck; this measures what the ledger sustains.
 */
@Path("/bench/usage")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class UsageBenchResource {

    private static final int MAX_EVENTS = 10_000;

    private final BillingConfig config;
    private final UsageWriter writer;
    private final PlatformClock clock;

    UsageBenchResource(BillingConfig config, UsageWriter writer, PlatformClock clock) {
        this.config = config;
        this.writer = writer;
        this.clock = clock;
    }

    public record Appended(String object, int events) {
    }

    @POST
    @Operation(hidden = true)
    public Uni<Appended> append(@QueryParam("tenant_id") String tenantId, @QueryParam("events") int events) {
        if (!config.benchEnabled()) {
            throw new ProblemException(404, "not-found", "Not found", "There is nothing at this path.");
        }
        if (!TypedId.isWellFormed("ten", tenantId) || events < 1 || events > MAX_EVENTS) {
            throw ProblemException.badRequest("bad-request", "Need ?tenant_id=ten_... and 1 to " + MAX_EVENTS
                    + " events.");
        }
        Instant at = clock.now();
        String batch = TypedId.generate("req");
        List<Append.Entry> entries = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            entries.add(new Append.Entry(Usage.of(Meter.API_REQUESTS, 1, "bench:" + batch + ":" + i)
                    .withAttributes(Map.of()), null));
        }
        return Uni.createFrom().completionStage(writer.submit(Append.of(tenantId, Origin.system("bench"), at,
                entries))).map(result -> new Appended("usage_append", events));
    }
}
