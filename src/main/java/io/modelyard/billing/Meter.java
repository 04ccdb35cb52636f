package io.modelyard.billing;

import com.fasterxml.jackson.annotation.JsonValue;

/** What Modelyard meters, with the unit each is counted in. */
public enum Meter {
    API_REQUESTS("api_requests", "request"),
    PREDICTIONS("predictions", "prediction"),
    TRAINING_CPU_SECONDS("training_cpu_seconds", "second"),
    TRAINING_GPU_SECONDS("training_gpu_seconds", "second"),
    STORAGE_BYTE_HOURS("storage_byte_hours", "byte_hour"),
    DATASET_ROWS_INGESTED("dataset_rows_ingested", "row");

    private final String wireName;
    private final String unit;

    Meter(String wireName, String unit) {
        this.wireName = wireName;
        this.unit = unit;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public String unit() {
        return unit;
    }

    public static Meter fromWire(String value) {
        for (Meter meter : values()) {
            if (meter.wireName.equals(value)) {
                return meter;
            }
        }
        throw new IllegalArgumentException("Unknown meter " + value);
    }
}
