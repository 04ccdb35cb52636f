package io.modelyard.job;

import io.modelyard.common.LowercaseEnumConverter;
import jakarta.persistence.Converter;

/** The level of a job's message event. */
public enum JobEventLevel {
    DEBUG, INFO, WARNING, ERROR;

    @Converter(autoApply = true)
    public static class Column extends LowercaseEnumConverter<JobEventLevel> {
        public Column() {
            super(JobEventLevel.class);
        }
    }
}
