package io.modelyard.portal.training;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.job.JobEventType;
import io.modelyard.job.JobEventView;
import io.modelyard.job.JobService;
import io.modelyard.portal.ChartSpec;
import io.modelyard.training.TrainingJobView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A training job as its page shows it: what happened so far (curves per epoch, messages) read from the job's
 * events, and where the page follows the rest live (the events stream after the last one shown).
 */
public record JobProgress(TrainingJobView job, String state, boolean finished, boolean classification,
        String lossChart, String lossSeries, String qualityChart, String qualitySeries, List<Message> messages,
        String streamUrl, int epochsSeen) {

    /** Events read to draw the page; a longer job's page shows its latest curves from the stream. */
    static final int MAX_EVENTS = 5_000;

    /** One line of the job's log. */
    public record Message(Instant at, String level, String text) {
    }

    static JobProgress of(TrainingJobView job, JobService jobs, String base) {
        boolean classification = job.task().isClassification();
        List<String> lossKeys = List.of("train_loss", "val_loss");
        List<String> qualityKeys = classification ? List.of("val_f1", "val_accuracy") : List.of("val_mse", "val_mae");
        List<String> epochs = new ArrayList<>();
        List<List<Double>> loss = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> quality = List.of(new ArrayList<>(), new ArrayList<>());
        List<Message> messages = new ArrayList<>();
        String after = null;
        String lastId = null;
        // The job was read before its events: a state change since then is in the events, and the page (and the
        // stream that follows it from the last event shown) must start from that newer state.
        String state = job.state().wireName();
        int read = 0;
        Page<JobEventView> page;
        do {
            page = jobs.events(job.id(), new PageRequest(PageRequest.MAX_LIMIT, after));
            for (JobEventView event : page.data()) {
                lastId = event.id();
                Map<String, Object> data = event.data() == null ? Map.of() : event.data();
                if (event.type() == JobEventType.METRIC && data.get("epoch") != null) {
                    epochs.add(String.valueOf(data.get("epoch")));
                    for (int i = 0; i < 2; i++) {
                        loss.get(i).add(number(data.get(lossKeys.get(i))));
                        quality.get(i).add(number(data.get(qualityKeys.get(i))));
                    }
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
        String lossChart = ChartSpec.line(epochs, List.of(ChartSpec.Series.of("training loss", loss.get(0)),
                ChartSpec.Series.of("validation loss", loss.get(1))), "epoch", "loss").json();
        String qualityChart = ChartSpec.line(epochs, List.of(
                ChartSpec.Series.of(classification ? "validation macro-F1" : "validation MSE", quality.get(0)),
                ChartSpec.Series.of(classification ? "validation accuracy" : "validation MAE", quality.get(1))),
                "epoch", classification ? "score" : "error").json();
        boolean finished = job.state().isFinished() || List.of("succeeded", "failed", "cancelled").contains(state);
        String stream = finished ? null
                : base + "/jobs/" + job.id() + "/events" + (lastId == null ? "" : "?after=" + lastId);
        return new JobProgress(job, state, finished, classification, lossChart, String.join(",", lossKeys),
                qualityChart, String.join(",", qualityKeys), messages, stream, epochs.size());
    }

    public String percent() {
        return String.format(Locale.ROOT, "%.0f%%", job.progress());
    }

    private static String level(JobEventView event) {
        return event.level() == null ? "info" : event.level().name().toLowerCase(Locale.ROOT);
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
