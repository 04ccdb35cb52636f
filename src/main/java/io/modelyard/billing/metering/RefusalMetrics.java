package io.modelyard.billing.metering;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelyard.common.Problem;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code modelyard_billing_refusals_total{reason,meter}}: requests refused by a rate limit (429, {@code rate_limited})
 * or a quota (402 {@code quota_exceeded}, 403 {@code storage_quota_exceeded}), whichever filter or service refused
 * them. Counted from the answer itself, so a refusal added anywhere later is counted too. Runs after the other
 * response filters (lowest priority), so refusals made while metering a response are seen.
 */
public class RefusalMetrics {

    private final MeterRegistry registry;

    RefusalMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @ServerResponseFilter(priority = 1)
    public void countRefusals(ContainerResponseContext response) {
        int status = response.getStatus();
        if (status != 429 && status != 402 && status != 403) {
            return;
        }
        Object entity = response.getEntity();
        String type = entity instanceof Problem p ? p.type() : null;
        Object meter = entity instanceof Problem p ? p.extensions().get("meter") : null;
        if (entity instanceof Map<?, ?> openAi && openAi.get("error") instanceof Map<?, ?> error) {
            type = String.valueOf(error.get("code"));
        }
        String reason;
        if (status == 429) {
            reason = "rate_limited";
        } else if (status == 402) {
            reason = "quota_exceeded";
        } else if (type != null && type.replace('-', '_').endsWith("storage_quota_exceeded")) {
            reason = "storage_quota_exceeded";
        } else {
            return;
        }
        Counter.builder("modelyard.billing.refusals").description("Requests refused by a rate limit or a quota")
                .tags("reason", reason, "meter", meter == null ? (status == 429 ? "api_requests" : "unknown")
                        : meter.toString())
                .register(registry).increment();
    }
}
