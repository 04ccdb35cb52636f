package io.modelyard.export;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** Where an export is: its job's state until the archive is written, then {@code expired} once it is deleted. */
public enum ExportState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, EXPIRED;

    boolean isUnfinished() {
        return this == QUEUED || this == RUNNING;
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<ExportState> {
        public Column() {
            super(ExportState.class);
        }
    }
}
