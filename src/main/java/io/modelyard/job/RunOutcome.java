package io.modelyard.job;

import java.util.Map;

/**
 * How a handler's run ended, before it is recorded (see {@link JobLeases#finish}). {@code onRecorded} runs in the
 * transaction that records a final ending: success, failure for good, cancellation.
 */
record RunOutcome(Kind kind, Map<String, Object> result, Runnable onRecorded, String code, String message,
        boolean retryable, StopReason stopReason) {

    enum Kind { SUCCEEDED, FAILED, STOPPED }

    static RunOutcome succeeded(Map<String, Object> result) {
        return succeeded(result, null);
    }

    /** @param onRecorded run in the transaction that records the success, or null */
    static RunOutcome succeeded(Map<String, Object> result, Runnable onRecorded) {
        return new RunOutcome(Kind.SUCCEEDED, result, onRecorded, null, null, false, StopReason.NONE);
    }

    static RunOutcome failed(String code, String message, boolean retryable) {
        return failed(code, message, retryable, null);
    }

    /** @param onRecorded run in the transaction that records the job failed for good, or null */
    static RunOutcome failed(String code, String message, boolean retryable, Runnable onRecorded) {
        return new RunOutcome(Kind.FAILED, null, onRecorded, code, message, retryable, StopReason.NONE);
    }

    static RunOutcome stopped(StopReason reason) {
        return stopped(reason, null);
    }

    /** @param onRecorded run in the transaction that records the job cancelled, or null */
    static RunOutcome stopped(StopReason reason, Runnable onRecorded) {
        return new RunOutcome(Kind.STOPPED, null, onRecorded, null, null, false, reason);
    }
}
