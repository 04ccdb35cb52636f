package io.modelyard.optimization;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

public final class TuningRequests {

    private TuningRequests() {
    }

    /**
     * @param datasetVersionId the immutable dataset version to tune on
     * @param objective        {@code macro_f1} (classification default), {@code accuracy}, {@code r2} (regression
     *                         default) or {@code mse}, measured on the validation split
     * @param strategy         {@code adaptive} (default: successive halving with a TPE sampler) or {@code random}
     *                         (uniform draws, each trained in full: the yardstick)
     * @param searchSpace      architectures, hyperparameter ranges and epochs; what is left out comes from the task's
     *                         default space; the linear baseline is always in it
     * @param budget           trials and/or compute seconds; the job stops cleanly at whichever comes first
     * @param reductionFactor  η of successive halving: the top 1/η of a rung is promoted (2 to 5, default 3)
     * @param seed             seeds every trial and the sampler: the same request searches the same way
     */
    public record CreateTuningJob(
            @NotBlank String datasetVersionId,
            Objective objective,
            String strategy,
            SearchSpace searchSpace,
            Budget budget,
            Integer reductionFactor,
            Long seed,
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,62}", message = "must be lowercase letters, digits, '.', '_' or '-'")
            String modelName,
            @Pattern(regexp = "[a-z0-9._-]{1,40}", message = "must be 1 to 40 lowercase letters, digits, '.', '_' or '-'")
            String suffix,
            @Size(max = 20) Map<String, String> metadata,
            Boolean dryRun) {
    }

    /**
     * @param maxTrials          configurations tried, the two reference trials included (2 to 200)
     * @param maxComputeSeconds  compute the whole job may use; the running trial is stopped when it is spent
     */
    public record Budget(Integer maxTrials, Long maxComputeSeconds) {
    }
}
