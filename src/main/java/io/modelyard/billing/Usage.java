package io.modelyard.billing;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One metered occurrence, for the ledger: {@code ledger.UsageRecorder#record} in an action's transaction, or
 * {@code metering.MeteredRequest#add} on the request path.
 *
 * @param idempotencyKey unique per real-world occurrence within the tenant (e.g. {@code job:<id>:compute},
 *                       {@code request:<request id>}); recording the same key again adds nothing
 * @param apiKeyId       the API key that caused it, if any
 * @param modelId        the model concerned, if any
 * @param jobId          the job concerned, if any
 */
public record Usage(Meter meter, BigDecimal quantity, String idempotencyKey, String apiKeyId, String modelId,
        String jobId, Map<String, String> attributes) {

    public static Usage of(Meter meter, long quantity, String idempotencyKey) {
        return new Usage(meter, BigDecimal.valueOf(quantity), idempotencyKey, null, null, null, Map.of());
    }

    public Usage withApiKey(String id) {
        return new Usage(meter, quantity, idempotencyKey, id, modelId, jobId, attributes);
    }

    public Usage withModel(String id) {
        return new Usage(meter, quantity, idempotencyKey, apiKeyId, id, jobId, attributes);
    }

    public Usage withJob(String id) {
        return new Usage(meter, quantity, idempotencyKey, apiKeyId, modelId, id, attributes);
    }

    public Usage withAttributes(Map<String, String> more) {
        return new Usage(meter, quantity, idempotencyKey, apiKeyId, modelId, jobId, Map.copyOf(more));
    }
}
