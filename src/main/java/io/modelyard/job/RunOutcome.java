package io.modelyard.job;

import java.util.Map;

/** How a handler's run ended, before it is recorded (see {@link JobLeases#finish}). */
record RunOutcome(Kind kind, Map<String, Object> result, String code, String message, boolean retryable,
        StopReason stopReason) {

    enum Kind { SUCCEEDED, FAILED, STOPPED }

    static RunOutcome succeeded(Map<String, Object> result) {
        return new RunOutcome(Kind.SUCCEEDED, result, null, null, false, StopReason.NONE);
    }

    static RunOutcome failed(String code, String message, boolean retryable) {
        return new RunOutcome(Kind.FAILED, null, code, message, retryable, StopReason.NONE);
    }

    static RunOutcome stopped(StopReason reason) {
        return new RunOutcome(Kind.STOPPED, null, null, null, false, reason);
    }
}
