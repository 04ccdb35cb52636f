package io.modelyard.job;

import java.util.regex.Pattern;

/**
 * A job failure a handler can name: a stable {@code code} (snake_case) and a message the tenant will read.
 * Unless made {@link #retryable}, it fails the job at once, whatever attempts are left.
 */
public class JobFailedException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String code;
    private final boolean retryable;
    private transient Runnable onRecorded;

    /** A failure that retrying cannot fix (invalid input, a missing dataset): the job fails now. */
    public JobFailedException(String code, String message) {
        this(code, message, false, null);
    }

    public JobFailedException(String code, String message, Throwable cause) {
        this(code, message, false, cause);
    }

    private JobFailedException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("A job error code is snake_case: " + code);
        }
        this.code = code;
        this.retryable = retryable;
    }

    /** A transient failure (a store unavailable, out of memory on a busy node): retried with backoff. */
    public static JobFailedException retryable(String code, String message) {
        return new JobFailedException(code, message, true, null);
    }

    public static JobFailedException retryable(String code, String message, Throwable cause) {
        return new JobFailedException(code, message, true, cause);
    }

    /**
     * Runs {@code action} inside the transaction (and the tenant) that records the job failed for good —
     * charging the work done, say. Not run when the failure is retried.
     */
    public JobFailedException whenRecorded(Runnable action) {
        this.onRecorded = action;
        return this;
    }

    Runnable onRecorded() {
        return onRecorded;
    }

    public String code() {
        return code;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
