package io.modelyard.job;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** What a job event tells. */
public enum JobEventType {
    /** The job changed state: {@code from}, {@code to}, {@code attempt}, and why ({@code reason}, {@code error}). */
    STATE,
    /** {@code percent} done and {@code estimated_finish_at}. */
    PROGRESS,
    /** Named values of one step, e.g. an epoch's loss and validation accuracy. */
    METRIC,
    /** A log line for the tenant, with a level. */
    MESSAGE,
    /** The handler saved a checkpoint it can resume from. */
    CHECKPOINT,
    /** A worker picked the job up again after an earlier run ended early (lost lease, shutdown, retry). */
    RESUMED;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<JobEventType> {
        public Column() {
            super(JobEventType.class);
        }
    }
}
