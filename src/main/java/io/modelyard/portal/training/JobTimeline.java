package io.modelyard.portal.training;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.job.JobEventType;
import io.modelyard.job.JobEventView;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a job's page shows of its events so far — its messages (an error included) and its newest state — and
 * where the page follows the rest live: the events stream after the last event shown, or none once it is over.
 */
public record JobTimeline(List<Message> messages, String state, boolean finished, String streamUrl) {

    /** Events read to draw a page; a longer job's page shows the rest from the stream. */
    static final int MAX_EVENTS = 5_000;

    /** One line of the job's log. */
    public record Message(Instant at, String level, String text) {
    }

    /** Reads the job's events; each metric event also goes to {@code metrics} (a training page draws curves). */
    public static JobTimeline read(String jobId, JobState current, JobService jobs, String base,
            Consumer<Map<String, Object>> metrics) {
        List<Message> messages = new ArrayList<>();
        // The job was read before its events: a state change since then is in the events, and the page (and the
        // stream that follows it from the last event shown) must start from that newer state.
        String state = current.wireName();
        String after = null;
        String lastId = null;
        int read = 0;
        Page<JobEventView> page;
        do {
            page = jobs.events(jobId, new PageRequest(PageRequest.MAX_LIMIT, after));
            for (JobEventView event : page.data()) {
                lastId = event.id();
                Map<String, Object> data = event.data() == null ? Map.of() : event.data();
                if (event.type() == JobEventType.METRIC) {
                    metrics.accept(data);
                } else if (event.type() == JobEventType.MESSAGE) {
                    messages.add(new Message(event.createdAt(), level(event), String.valueOf(data.get("message"))));
                } else if (event.type() == JobEventType.STATE) {
                    if (data.get("to") != null) {
                        state = String.valueOf(data.get("to"));
                    }
                    if (data.get("error") instanceof Map<?, ?> error) {
                        messages.add(new Message(event.createdAt(), "error", String.valueOf(error.get("message"))));
                    }
                }
            }
            after = page.nextCursor();
            read += page.data().size();
        } while (page.hasMore() && read < MAX_EVENTS);
        boolean finished = current.isFinished() || List.of("succeeded", "failed", "cancelled").contains(state);
        String stream = finished ? null
                : base + "/jobs/" + jobId + "/events" + (lastId == null ? "" : "?after=" + lastId);
        return new JobTimeline(messages, state, finished, stream);
    }

    private static String level(JobEventView event) {
        return event.level() == null ? "info" : event.level().name().toLowerCase(Locale.ROOT);
    }
}
