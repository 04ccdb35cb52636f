package io.modelyard.openai;

import io.modelyard.job.JobEventLevel;
import io.modelyard.job.JobEventView;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A job event as a {@code fine_tuning.job.event}: a sentence for people in {@code message}, the values in
 * {@code data}; epoch metrics are {@code type: "metrics"} with OpenAI's names ({@code step}, {@code train_loss},
 * {@code valid_loss}, {@code valid_mean_token_accuracy} — here the validation accuracy) beside ours.
 */
final class OpenAiEvents {

    private OpenAiEvents() {
    }

    static OpenAiViews.Event of(JobEventView e) {
        Map<String, Object> data = e.data() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(e.data());
        String type = "message";
        String message;
        switch (e.type()) {
            case STATE -> message = state(data);
            case PROGRESS -> message = String.format(Locale.ROOT, "Progress: %s%%", data.get("percent"));
            case METRIC -> {
                type = "metrics";
                if (data.containsKey("epoch")) {
                    data.put("step", data.get("epoch"));
                }
                rename(data, "val_loss", "valid_loss");
                rename(data, "val_accuracy", "valid_mean_token_accuracy");
                message = "Epoch " + data.getOrDefault("epoch", "?") + ": training loss=" + data.get("train_loss")
                        + (data.containsKey("valid_loss") ? ", validation loss=" + data.get("valid_loss") : "");
            }
            case MESSAGE -> message = String.valueOf(data.getOrDefault("message", ""));
            case CHECKPOINT -> message = "Checkpoint saved after epoch " + data.get("completed_epochs") + " (step "
                    + data.get("global_step") + ")";
            case RESUMED -> message = "Job resumed from its last checkpoint";
            default -> message = e.type().name().toLowerCase(Locale.ROOT);
        }
        return new OpenAiViews.Event(e.id(), "fine_tuning.job.event", OpenAiViews.seconds(e.createdAt()),
                level(e.level()), message, data, type);
    }

    private static String state(Map<String, Object> data) {
        Object to = data.get("to");
        String sentence = switch (String.valueOf(to)) {
            case "queued" -> data.get("from") == null ? "Created fine-tuning job" : "Job queued again";
            case "running" -> "Fine-tuning job started";
            case "succeeded" -> "The job has successfully completed";
            case "failed" -> "The job failed";
            case "cancelling" -> "Cancelling the job";
            case "cancelled" -> "The job was cancelled";
            default -> "Job is " + to;
        };
        Object error = data.get("error");
        return error == null ? sentence : sentence + ": " + error;
    }

    private static String level(JobEventLevel level) {
        if (level == null) {
            return "info";
        }
        return switch (level) {
            case WARNING -> "warn";
            case ERROR -> "error";
            default -> "info";
        };
    }

    private static void rename(Map<String, Object> data, String from, String to) {
        if (data.containsKey(from)) {
            data.put(to, data.get(from));
        }
    }
}
