package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a job's Server-Sent Events ({@code /v1/jobs/{id}/events?stream=true}) until the job ends: a live
 * progress bar, one line per epoch's metrics, messages and state changes above it. A dropped stream is resumed
 * from the last event seen ({@code Last-Event-ID}), so nothing is shown twice or missed.
 */
final class JobFollower {

    private static final int RECONNECTS = 5;

    private final Modelyard root;

    JobFollower(Modelyard root) {
        this.root = root;
    }

    /** Follows job {@code id} to its end; answers the finished job (from {@code /v1/jobs/{id}}). */
    JsonNode follow(String id) {
        return follow(id, "training");
    }

    /** As {@link #follow(String)}, the progress bar labelled {@code label}. */
    JsonNode follow(String id, String label) {
        ProgressBar bar = root.progress(label);
        String last = null;
        for (int attempt = 0; ; attempt++) {
            try {
                last = root.api().stream("/v1/jobs/" + Paths.segment(id) + "/events?stream=true", last,
                        event -> show(event, bar));
                break;
            } catch (ApiException e) {
                if (e.status() != 0 || attempt >= RECONNECTS) {
                    throw e;
                }
                bar.println("(the event stream dropped; resuming)");
                sleep();
            }
        }
        JsonNode job = root.api().get("/v1/jobs/" + Paths.segment(id));
        if ("succeeded".equals(job.path("state").asText())) {
            bar.percent(100, "done");
        }
        bar.finish();
        return job;
    }

    private void show(Api.SseEvent sse, ProgressBar bar) {
        JsonNode event;
        try {
            event = root.mapper.readTree(sse.data());
        } catch (IOException e) {
            return;
        }
        if (root.json) {
            root.out.println(event.toString());
            return;
        }
        JsonNode data = event.path("data");
        switch (event.path("type").asText()) {
            case "state" -> bar.println(String.format(Locale.ROOT, "%s  %s → %s (attempt %s)%s", time(event),
                    data.path("from").asText("new"), data.path("to").asText(), data.path("attempt").asText("1"),
                    data.hasNonNull("error") ? ": " + errorText(data.get("error")) : ""));
            case "progress" -> {
                String eta = data.path("estimated_finish_at").asText("");
                bar.percent(data.path("percent").asDouble(), eta.isEmpty() ? null : "eta " + eta.replaceFirst(
                        "^.*T(\\d\\d:\\d\\d:\\d\\d).*$", "$1") + " UTC");
            }
            case "metric" -> bar.println(metrics(data));
            case "message" -> bar.println(String.format(Locale.ROOT, "%s  [%s] %s", time(event),
                    event.path("level").asText("info"), data.path("message").asText()));
            case "checkpoint" -> bar.println(String.format(Locale.ROOT, "%s  checkpoint after epoch %s (step %s)",
                    time(event), data.path("completed_epochs").asText("?"), data.path("global_step").asText("?")));
            case "resumed" -> bar.println(time(event) + "  resumed " + data);
            default -> {
            }
        }
    }

    /** {@code epoch 2  train_loss 0.2103  val_loss 0.1819  val_accuracy 0.9694  val_f1 0.9693} */
    static String metrics(JsonNode data) {
        StringBuilder line = new StringBuilder();
        if (data.has("epoch")) {
            line.append("epoch ").append(data.get("epoch").asText());
        }
        for (String key : new String[] {"train_loss", "val_loss", "val_accuracy", "val_f1", "val_mse", "val_mae"}) {
            if (data.hasNonNull(key)) {
                line.append(String.format(Locale.ROOT, "  %s %.4f", key, data.get(key).asDouble()));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> rest = data.fields();
        while (rest.hasNext()) {
            Map.Entry<String, JsonNode> e = rest.next();
            if (!line.toString().contains(e.getKey()) && !e.getKey().equals("epoch") && !e.getKey().equals("improved")
                    && !e.getKey().equals("learning_rate") && !e.getKey().equals("duration_ms")) {
                line.append("  ").append(e.getKey()).append(' ').append(e.getValue().asText());
            }
        }
        if (data.path("improved").asBoolean(false)) {
            line.append("  *");
        }
        return line.toString();
    }

    static String errorText(JsonNode error) {
        if (error == null || error.isNull()) {
            return "";
        }
        return error.isTextual() ? error.asText() : error.path("code").asText("") + " " + error.path("message").asText("");
    }

    private static String time(JsonNode event) {
        return event.path("created_at").asText("").replaceFirst("^.*T(\\d\\d:\\d\\d:\\d\\d).*$", "$1");
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
