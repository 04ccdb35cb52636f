package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Quantities;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** One ledger entry as tenants see it. */
public record UsageEventView(String id, String object, Meter meter, BigDecimal quantity, String unit,
        Instant occurredAt, String idempotencyKey, String source, String apiKeyId, String modelId, String jobId,
        Map<String, Object> attributes) {

    static UsageEventView of(UsageEvent e) {
        return new UsageEventView(e.id, "usage_event", Meter.fromWire(e.meter), Quantities.plain(e.quantity), e.unit,
                e.occurredAt, e.idempotencyKey, e.source, e.apiKeyId, e.modelId, e.jobId,
                e.attributes == null ? Map.of() : e.attributes);
    }
}
