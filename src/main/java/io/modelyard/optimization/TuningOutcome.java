package io.modelyard.optimization;

import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobResult;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.training.ComputeClock;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.EpochMetrics;
import io.modelyard.training.engine.Example;
import io.modelyard.training.engine.TrainingData;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a tuning job makes of its trials: each trial segment's ending recorded on its row, and at the end the
 * Pareto front, the best trial registered as a model with its test evaluation (the only time the test split
 * counts), the compute billed once, and the blobs no one needs any more deleted.
 */
@ApplicationScoped
class TuningOutcome {

    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TuningTrials store;
    private final TrainingRuns runs;
    private final BlobStore blobs;

    TuningOutcome(TuningTrials store, TrainingRuns runs, BlobStore blobs) {
        this.store = store;
        this.runs = runs;
        this.blobs = blobs;
    }

    /** Records how a trial's segment ended. */
    void record(TuningTrial trial, TrialRunner.Result result, int[] rungs, TuningJobPayload payload,
            TrainingData data, double variance, ModelRuntime runtime, int latencySamples) {
        Objective objective = payload.objective();
        switch (result.ending()) {
            case COMPLETED -> {
                var outcome = result.outcome();
                byte[] artifact = outcome.artifact();
                double latency = LatencyProbe.medianMillis(runtime, artifact, data, latencySamples);
                BlobInfo blob = store.saveArtifact(trial, artifact);
                Double value = valueAt(outcome.history(), outcome.bestEpoch(), objective, variance);
                String oldCheckpoint = trial.checkpointKey;
                store.update(trial.id, t -> {
                    t.state = TuningTrial.State.COMPLETED;
                    t.epochsRun = outcome.epochsRun();
                    t.bestEpoch = outcome.bestEpoch();
                    t.objectiveValue = value;
                    t.history = store.write(outcome.history());
                    t.computeSeconds = result.computeSeconds();
                    t.latencyMs = latency;
                    t.sizeBytes = (long) artifact.length;
                    t.artifactKey = blob.key();
                    t.artifactSha256 = blob.sha256();
                    t.testEvaluation = store.write(outcome.evaluation());
                    t.checkpointKey = null;
                    t.checkpointSha256 = null;
                    if (t.origin.sampled()) {
                        List<Double> scores = new ArrayList<>(store.rungScores(t));
                        while (scores.size() < rungs.length) {
                            scores.add(objective.score(value));
                        }
                        t.rungScores = store.write(scores);
                        t.rung = rungs.length - 1;
                    }
                });
                store.deleteBlob(oldCheckpoint);
            }
            case REACHED_TARGET -> {
                int best = bestEpoch(result.history());
                Double value = valueAt(result.history(), best, objective, variance);
                store.update(trial.id, t -> {
                    List<Double> scores = new ArrayList<>(store.rungScores(t));
                    int rung = indexOf(rungs, t.targetEpochs);
                    while (scores.size() <= rung) {
                        scores.add(objective.score(value == null ? Double.NaN : value));
                    }
                    t.state = TuningTrial.State.WAITING;
                    t.rung = rung;
                    t.rungScores = store.write(scores);
                    t.bestEpoch = best;
                    t.objectiveValue = value;
                    t.computeSeconds = result.computeSeconds();
                });
            }
            case BUDGET, FAILED -> {
                int best = bestEpoch(result.history());
                Double value = best == 0 ? null : valueAt(result.history(), best, objective, variance);
                store.update(trial.id, t -> {
                    t.state = result.ending() == TrialRunner.Ending.BUDGET ? TuningTrial.State.BUDGET_EXHAUSTED
                            : TuningTrial.State.FAILED;
                    t.error = result.error();
                    t.objectiveValue = value;
                    t.bestEpoch = best == 0 ? null : best;
                    t.computeSeconds = result.computeSeconds();
                });
            }
            case STOPPED -> {
                // The job is stopping: the trial stays running and resumes from its checkpoint.
            }
        }
    }

    /**
     * Ends the search: trials never promoted are stopped early; the best finished trial is registered and the
     * compute billed. With no finished trial the job fails, billing what it used.
     */
    JobResult finish(JobExecution execution, TuningJobPayload payload, TrainingData data, ComputeClock clock,
            boolean budgetOut, String device) {
        String jobId = execution.jobId();
        for (TuningTrial t : store.list(jobId)) {
            if (t.state == TuningTrial.State.WAITING) {
                store.update(t.id, s -> s.state = TuningTrial.State.STOPPED_EARLY);
            }
        }
        List<TuningTrial> trials = store.list(jobId);
        List<TuningTrial> finished = trials.stream().filter(t -> t.state == TuningTrial.State.COMPLETED
                && t.objectiveValue != null).toList();
        Map<String, String> attributes = Map.of("job_type", TuningJobHandler.TYPE);
        if (finished.isEmpty()) {
            BigDecimal seconds = clock.total();
            runs.bill(jobId, seconds, device, attributes);
            store.deleteAllBlobs(jobId);
            throw budgetOut
                    ? new JobFailedException("budget_exhausted", "The compute budget ran out before any trial was"
                            + " trained to the end; the " + seconds + " s used were billed.")
                    : new JobFailedException("no_trial_finished", "No trial could be trained (see the trials for"
                            + " why); the " + seconds + " s used were billed.");
        }
        Objective objective = payload.objective();
        List<ParetoFront.Point> points = finished.stream().map(t -> new ParetoFront.Point(t.number,
                objective.score(t.objectiveValue), t.latencyMs, t.sizeBytes)).toList();
        Set<Integer> front = ParetoFront.of(points).stream().map(ParetoFront.Point::number)
                .collect(Collectors.toSet());
        TuningTrial best = finished.stream().max(Comparator.comparingDouble((TuningTrial t) ->
                        objective.score(t.objectiveValue))
                .thenComparing(Comparator.comparingLong((TuningTrial t) -> t.sizeBytes).reversed())
                .thenComparing(Comparator.comparingInt((TuningTrial t) -> t.number).reversed())).orElseThrow();
        for (TuningTrial t : trials) {
            boolean keep = front.contains(t.number) || t.number == best.number;
            store.update(t.id, s -> s.pareto = front.contains(s.number));
            store.deleteBlob(t.checkpointKey);
            if (!keep && t.artifactKey != null) {
                store.deleteBlob(t.artifactKey);
                store.update(t.id, s -> {
                    s.artifactKey = null;
                    s.artifactSha256 = null;
                    s.checkpointKey = null;
                    s.checkpointSha256 = null;
                });
            } else if (t.checkpointKey != null) {
                store.update(t.id, s -> {
                    s.checkpointKey = null;
                    s.checkpointSha256 = null;
                });
            }
        }
        BigDecimal seconds = clock.total();
        BlobInfo artifact = blobs.put(store.jobPrefix(jobId) + "model.zip",
                new ByteArrayInputStream(store.artifact(best)), MAX_ARTIFACT_BYTES);
        Map<String, Object> tuning = new LinkedHashMap<>();
        tuning.put("job_id", jobId);
        tuning.put("trial_id", best.id);
        tuning.put("trial_number", best.number);
        tuning.put("objective", objective.wireName());
        tuning.put("objective_value", best.objectiveValue);
        tuning.put("trials_url", "/v1/tuning-jobs/" + jobId + "/trials");
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs_run", best.epochsRun);
        summary.put("best_epoch", best.bestEpoch);
        summary.put("device", device);
        summary.put("compute_seconds", seconds);
        summary.put("tuning", tuning);
        summary.put("history", store.tree(best.history));
        ModelView model = runs.registerAndBill(jobId, new NewModel(payload.modelName(), payload.task(),
                best.architecture, payload.datasetVersionId(), jobId,
                store.tree(best.hyperparameters), store.tree(best.testEvaluation), summary,
                TrainingRuns.dataSummary(data), data.labelClasses(), artifact, Map.of(), payload.createdBy()),
                seconds, device, attributes);
        execution.events().info("Registered model " + model.id() + " (" + model.name() + " v" + model.version()
                + ") from trial " + best.number + " (" + best.architecture.wireName() + ", "
                + objective.wireName() + " " + best.objectiveValue + " on validation).");
        return result(payload, store.list(jobId), model, seconds, budgetOut);
    }

    /** A cancelled job keeps its trial rows (what was tried) but none of their blobs. */
    void cancelled(String jobId) {
        for (TuningTrial t : store.list(jobId)) {
            if (!t.isFinished() || t.state == TuningTrial.State.COMPLETED) {
                store.update(t.id, s -> {
                    if (!s.isFinished()) {
                        s.state = TuningTrial.State.CANCELLED;
                    }
                    s.checkpointKey = null;
                    s.checkpointSha256 = null;
                    s.artifactKey = null;
                    s.artifactSha256 = null;
                });
            }
        }
        store.deleteAllBlobs(jobId);
    }

    /** The job's result: the model, the best trial, the references, the front, the counts. */
    JobResult result(TuningJobPayload payload, List<TuningTrial> trials, ModelView model, BigDecimal seconds,
            boolean budgetOut) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model_id", model.id());
        result.put("model_name", model.name());
        result.put("model_version", model.version());
        result.put("evaluation", model.evaluation());
        result.put("objective", payload.objective().wireName());
        trials.stream().filter(t -> t.id.equals(model.training().path("tuning").path("trial_id").asText()))
                .findFirst().ifPresent(t -> result.put("best_trial", brief(t)));
        trials.stream().filter(t -> t.origin == TuningTrial.Origin.BASELINE).findFirst()
                .ifPresent(t -> result.put("baseline_trial", brief(t)));
        trials.stream().filter(t -> t.origin == TuningTrial.Origin.DEFAULT).findFirst()
                .ifPresent(t -> result.put("default_trial", brief(t)));
        result.put("pareto_front", trials.stream().filter(t -> t.pareto).map(this::brief).toList());
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TuningTrial.State state : TuningTrial.State.values()) {
            long n = trials.stream().filter(t -> t.state == state).count();
            if (n > 0) {
                counts.put(state.name().toLowerCase(java.util.Locale.ROOT), n);
            }
        }
        result.put("trials", counts);
        result.put("trial_count", trials.size());
        result.put("compute_seconds", seconds != null ? seconds
                : model.training().path("compute_seconds").decimalValue());
        result.put("budget_exhausted", budgetOut);
        return JobResult.of(result);
    }

    private Map<String, Object> brief(TuningTrial t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id);
        m.put("number", t.number);
        m.put("origin", t.origin.name().toLowerCase(java.util.Locale.ROOT));
        m.put("architecture", t.architecture.wireName());
        m.put("objective_value", t.objectiveValue);
        m.put("latency_ms", t.latencyMs);
        m.put("size_bytes", t.sizeBytes);
        return m;
    }

    /** The epoch whose weights a run keeps: the last one that improved the validation loss (0 before any). */
    static int bestEpoch(List<EpochMetrics> history) {
        int best = 0;
        for (EpochMetrics m : history) {
            if (m.improved()) {
                best = m.epoch();
            }
        }
        return best;
    }

    static Double valueAt(List<EpochMetrics> history, int epoch, Objective objective, double variance) {
        for (EpochMetrics m : history) {
            if (m.epoch() == epoch) {
                return objective.value(m, variance);
            }
        }
        return null;
    }

    /** Variance of the validation targets (regression), for R²; 0 for classification. */
    static double validationVariance(TrainingData data) {
        if (data.task().isClassification() || data.validation().isEmpty()) {
            return 0;
        }
        double sum = 0;
        double squares = 0;
        for (Example e : data.validation()) {
            sum += e.target();
            squares += e.target() * e.target();
        }
        double mean = sum / data.validation().size();
        return Math.max(0, squares / data.validation().size() - mean * mean);
    }

    private static int indexOf(int[] rungs, int epochs) {
        for (int i = 0; i < rungs.length; i++) {
            if (rungs[i] == epochs) {
                return i;
            }
        }
        return rungs.length - 1;
    }
}
