package io.modelyard.job;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/**
 * {@code queued → running → succeeded | failed | cancelled}, with {@code cancelling} while a running job stops,
 * and for jobs that can pause {@code pausing} (its handler checkpoints) then {@code paused} (no worker) until it
 * is resumed (back to {@code queued}).
 */
public enum JobState {
    QUEUED, RUNNING, CANCELLING, PAUSING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    /** Held by a worker under a lease. */
    public boolean isActive() {
        return this == RUNNING || this == CANCELLING || this == PAUSING;
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
