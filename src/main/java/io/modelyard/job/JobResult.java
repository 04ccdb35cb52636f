package io.modelyard.job;

import java.util.Map;

/**
 * What a job produced: any value that serialises to a JSON object (a record, a map), stored as the job's
 * {@code result} with the API's JSON conventions (snake_case).
 */
public final class JobResult {

    private static final JobResult EMPTY = new JobResult(Map.of());

    private final Object value;

    private JobResult(Object value) {
        this.value = value;
    }

    public static JobResult of(Object value) {
        return value == null ? EMPTY : new JobResult(value);
    }

    public static JobResult empty() {
        return EMPTY;
    }

    Object value() {
        return value;
    }
}
