package io.modelyard.job;

import java.util.Map;

/**
 * What a job produced: any value that serialises to a JSON object (a record, a map), stored as the job's
 * {@code result} with the API's JSON conventions (snake_case).
 */
public final class JobResult {

    private static final JobResult EMPTY = new JobResult(Map.of(), null);

    private final Object value;
    private final Runnable onRecorded;

    private JobResult(Object value, Runnable onRecorded) {
        this.value = value;
        this.onRecorded = onRecorded;
    }

    public static JobResult of(Object value) {
        return value == null ? EMPTY : new JobResult(value, null);
    }

    /**
     * The same result, with {@code action} run inside the transaction (and the tenant) that records the job as
     * succeeded: what must happen exactly when the success is recorded, such as billing the work once. If this
     * worker has lost the job by then, neither happens (the next run does the work again); if {@code action}
     * throws, the success is not recorded either.
     */
    public JobResult whenRecorded(Runnable action) {
        return new JobResult(value, action);
    }

    Runnable onRecorded() {
        return onRecorded;
    }

    public static JobResult empty() {
        return EMPTY;
    }

    Object value() {
        return value;
    }
}
