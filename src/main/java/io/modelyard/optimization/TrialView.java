package io.modelyard.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.model.spec.Architecture;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A trial of a tuning job as clients see it. {@code history} holds the validation metrics of every epoch it
 * trained; {@code objective_value} is the job's objective at {@code best_epoch} (the weights the trial keeps);
 * {@code latency_ms} and {@code size_bytes} are known once it has finished; {@code pareto}: no other finished
 * trial is at least as good, as fast and as small. The test split is not shown here: only the model the job
 * registers is evaluated on it.
 */
public record TrialView(String id, String object, String tuningJobId, int number, String origin, String state,
        Architecture architecture, JsonNode config, JsonNode hyperparameters, int targetEpochs, int rung, int epochsRun,
        String objective, Double objectiveValue, Integer bestEpoch, JsonNode history, BigDecimal computeSeconds,
        Double latencyMs, Long sizeBytes, boolean pareto, boolean hasModel, String error, Instant createdAt,
        Instant finishedAt) {

    static TrialView of(TuningTrial t, String objective, TuningTrials store) {
        return new TrialView(t.id, "tuning_trial", t.jobId, t.number,
                t.origin.name().toLowerCase(java.util.Locale.ROOT), t.state.name().toLowerCase(java.util.Locale.ROOT),
                t.architecture, store.tree(t.config),
                store.tree(t.hyperparameters), t.targetEpochs, t.rung, t.epochsRun, objective, t.objectiveValue,
                t.bestEpoch, store.tree(t.history), t.computeSeconds, t.latencyMs, t.sizeBytes, t.pareto,
                t.artifactKey != null, t.error, t.createdAt, t.finishedAt);
    }
}
