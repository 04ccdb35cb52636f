package io.modelyard.billing.statements;

import io.modelyard.billing.Meter;
import io.modelyard.common.ProblemException;

/** Optional filters on usage queries: by meter, API key, model and job. */
public record UsageFilter(Meter meter, String apiKeyId, String modelId, String jobId) {

    public static UsageFilter of(String meter, String apiKeyId, String modelId, String jobId) {
        return new UsageFilter(meter(meter), blankToNull(apiKeyId), blankToNull(modelId), blankToNull(jobId));
    }

    public static Meter meter(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Meter.fromWire(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("meter", "must be one of api_requests, predictions,"
                    + " training_cpu_seconds, training_gpu_seconds, storage_byte_hours, dataset_rows_ingested");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
