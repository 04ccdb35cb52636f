package io.modelyard.portal.training;

import io.modelyard.job.JobService;
import io.modelyard.portal.ChartSpec;
import io.modelyard.training.TrainingJobView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A training job as its page shows it: what happened so far (curves per epoch, messages) read from the job's
 * events, and where the page follows the rest live (the events stream after the last one shown).
 */
public record JobProgress(TrainingJobView job, String state, boolean finished, boolean classification,
        String lossChart, String lossSeries, String qualityChart, String qualitySeries,
        List<JobTimeline.Message> messages, String streamUrl, int epochsSeen) {

    static JobProgress of(TrainingJobView job, JobService jobs, String base) {
        boolean classification = job.task().isClassification();
        List<String> lossKeys = List.of("train_loss", "val_loss");
        List<String> qualityKeys = classification ? List.of("val_f1", "val_accuracy") : List.of("val_mse", "val_mae");
        List<String> epochs = new ArrayList<>();
        List<List<Double>> loss = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> quality = List.of(new ArrayList<>(), new ArrayList<>());
        JobTimeline timeline = JobTimeline.read(job.id(), job.state(), jobs, base, data -> {
            if (data.get("epoch") != null) {
                epochs.add(String.valueOf(data.get("epoch")));
                for (int i = 0; i < 2; i++) {
                    loss.get(i).add(number(data.get(lossKeys.get(i))));
                    quality.get(i).add(number(data.get(qualityKeys.get(i))));
                }
            }
        });
        String lossChart = ChartSpec.line(epochs, List.of(ChartSpec.Series.of("training loss", loss.get(0)),
                ChartSpec.Series.of("validation loss", loss.get(1))), "epoch", "loss").json();
        String qualityChart = ChartSpec.line(epochs, List.of(
                ChartSpec.Series.of(classification ? "validation macro-F1" : "validation MSE", quality.get(0)),
                ChartSpec.Series.of(classification ? "validation accuracy" : "validation MAE", quality.get(1))),
                "epoch", classification ? "score" : "error").json();
        return new JobProgress(job, timeline.state(), timeline.finished(), classification, lossChart,
                String.join(",", lossKeys), qualityChart, String.join(",", qualityKeys), timeline.messages(),
                timeline.streamUrl(), epochs.size());
    }

    public String percent() {
        return String.format(Locale.ROOT, "%.0f%%", job.progress());
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }
}
