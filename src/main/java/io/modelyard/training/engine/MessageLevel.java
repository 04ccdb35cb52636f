package io.modelyard.training.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.modelyard.model.spec.WireNames;

/** Severity of a trainer message shown in the job's events. */
public enum MessageLevel {
    INFO, WARN;

    @JsonValue
    public String wireName() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static MessageLevel fromWire(String value) {
        return WireNames.parse(MessageLevel.class, value);
    }
}
