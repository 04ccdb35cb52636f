package io.modelyard.job;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** {@code queued → running → succeeded | failed | cancelled}, with {@code cancelling} while a running job stops. */
public enum JobState {
    QUEUED, RUNNING, CANCELLING, SUCCEEDED, FAILED, CANCELLED;

    /** Held by a worker under a lease. */
    public boolean isActive() {
        return this == RUNNING || this == CANCELLING;
    }

    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<JobState> {
        public Column() {
            super(JobState.class);
        }
    }
}
