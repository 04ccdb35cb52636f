package io.modelyard.job;

import java.time.Instant;
import java.util.Map;

/** A job event as clients see it, in pages and in the event stream. */
public record JobEventView(String id, String object, String jobId, JobEventType type, JobEventLevel level,
        Map<String, Object> data, Instant createdAt) {

    static JobEventView of(JobEvent event) {
        return new JobEventView(event.id, "job_event", event.jobId, event.type, event.level, event.data,
                event.createdAt);
    }
}
