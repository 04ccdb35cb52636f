package io.modelyard.job;

import java.time.Instant;
import java.util.Map;

/**
 * Events a running handler writes for the tenant. Each is committed at once (clients following the job see it
 * within moments) and only while this run still holds the job's lease; after a lost lease they are dropped.
 * Safe to call from any thread.
 */
public interface JobEventSink {

    /**
     * Percent done, 0 to 100, with an estimate of when the job will finish; without one the worker extrapolates
     * from the time this run has taken so far. Written at most about once a second.
     */
    void progress(double percent, Instant estimatedFinishAt);

    default void progress(double percent) {
        progress(percent, null);
    }

    /** Values of one step in one event, e.g. {@code {"epoch": 3, "loss": 0.41, "val_accuracy": 0.87}}. */
    void metrics(Map<String, ?> values);

    /** A log line meant for the tenant: no secrets, no stack traces. */
    void message(JobEventLevel level, String text);

    default void info(String text) {
        message(JobEventLevel.INFO, text);
    }

    default void warning(String text) {
        message(JobEventLevel.WARNING, text);
    }

    /** The handler saved a checkpoint it can resume from; {@code data} says which (e.g. the epoch). */
    void checkpoint(Map<String, ?> data);
}
