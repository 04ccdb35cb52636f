package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.job.JobStoppedException;
import io.modelyard.job.StopReason;
import io.modelyard.model.ModelView;
import io.modelyard.model.spec.Architecture;
import io.modelyard.serving.engine.ModelRuntime;
import io.modelyard.training.ComputeClock;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.Hyperparameters;
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code tune} jobs on workers: trains trials one after another as {@link TuningPlan} decides, keeps every
 * trial's progress in {@code tuning_trials} (so a job resumed on another worker, or after a pause, continues the
 * search where it was), and when the budget is spent or the plan is done, registers the best trial's model with
 * its test evaluation and bills the compute once. {@link TuningOutcome} does the ending.
 */
@ApplicationScoped
public class TuningJobHandler implements JobHandler {

    public static final String TYPE = "tune";

    private final TrainingRuns runs;
    private final TuningTrials store;
    private final TuningOutcome outcomes;
    private final TuningConfig config;
    private final ObjectMapper json;
    private volatile ModelRuntime runtime;

    TuningJobHandler(TrainingRuns runs, TuningTrials store, TuningOutcome outcomes, TuningConfig config,
            ObjectMapper json) {
        this.runs = runs;
        this.store = store;
        this.outcomes = outcomes;
        this.config = config;
        this.json = json;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean pausable() {
        return true;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        TuningJobPayload payload = execution.payload(TuningJobPayload.class);
        Optional<ModelView> registered = runs.registeredBy(jobId);
        if (registered.isPresent()) {
            // An earlier run registered the model but its worker died before recording the job's success.
            return outcomes.result(payload, store.list(jobId), registered.get(), null, false);
        }
        TrainingData data = runs.load(payload.datasetVersionId(), payload.task());
        execution.events().info("Loaded " + data.train().size() + " training and " + data.validation().size()
                + " validation rows; searching for the best " + payload.objective().wireName() + " on validation.");
        double variance = TuningOutcome.validationVariance(data);
        List<TuningTrial> trials = store.list(jobId);
        ComputeClock clock = new ComputeClock(trials.stream().map(t -> t.computeSeconds)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        Architecture reference = TrainingRuns.defaultArchitecture(payload.task());
        TuningPlan plan = new TuningPlan(payload.searchSpace(), payload.plannedStrategy(), payload.maxTrials(),
                payload.reductionFactor(), payload.seed(), Map.of("architecture", Architecture.LINEAR.wireName()),
                Map.of("architecture", reference.wireName()));
        TrialRunner runner = new TrialRunner(runs.trainer(), store, execution, () -> budgetSpent(payload, clock));
        boolean budgetOut;
        try {
            budgetOut = search(execution, payload, plan, runner, data, variance, clock);
        } catch (JobStoppedException e) {
            if (execution.stopRequested() == StopReason.CANCEL) {
                outcomes.cancelled(jobId);
            }
            throw e;
        }
        if (budgetOut) {
            execution.events().warning("The compute budget of " + payload.maxComputeSeconds()
                    + " s is spent; finishing with the trials trained so far.");
        }
        return outcomes.finish(execution, payload, data, clock, budgetOut, runs.trainer().device());
    }

    /** Runs the plan's steps until it is done or the budget is spent; true when the budget ran out. */
    private boolean search(JobExecution execution, TuningJobPayload payload, TuningPlan plan, TrialRunner runner,
            TrainingData data, double variance, ComputeClock clock) {
        String jobId = execution.jobId();
        List<TuningTrial> trials = store.list(jobId);
        while (true) {
            stopIfAsked(execution);
            if (budgetSpent(payload, clock)) {
                return true;
            }
            TuningPlan.Step step = plan.next(trials.stream().map(store::status).toList());
            if (step instanceof TuningPlan.Done) {
                return false;
            }
            TuningTrial trial = begin(jobId, step, trials, payload, data);
            boolean budgetOut = false;
            if (trial.state == TuningTrial.State.RUNNING) {
                TrialRunner.Result result;
                try {
                    result = runner.run(trial, spec(trial, payload), data, payload.objective(), variance);
                } catch (TrainingCancelledException e) {
                    stopIfAsked(execution);
                    throw new JobStoppedException(StopReason.LEASE_LOST);
                }
                if (result.ending() == TrialRunner.Ending.STOPPED) {
                    stopIfAsked(execution);
                }
                outcomes.record(trial, result, plan.rungs(), payload, data, variance, runtime(),
                        config.latencySamples());
                budgetOut = result.ending() == TrialRunner.Ending.BUDGET;
            }
            trials = store.list(jobId);
            execution.events().progress(progress(payload, trials, clock));
            if (budgetOut) {
                return true;
            }
        }
    }

    /** Creates the trial a step starts, or moves the one it continues back to running. */
    private TuningTrial begin(String jobId, TuningPlan.Step step, List<TuningTrial> trials, TuningJobPayload payload,
            TrainingData data) {
        if (step instanceof TuningPlan.Resume resume) {
            return byNumber(trials, resume.number());
        }
        if (step instanceof TuningPlan.Promote promote) {
            TuningTrial trial = byNumber(trials, promote.number());
            return store.update(trial.id, t -> {
                t.state = TuningTrial.State.RUNNING;
                t.targetEpochs = promote.targetEpochs();
            });
        }
        TuningPlan.Start start = (TuningPlan.Start) step;
        int number = trials.size() + 1;
        Architecture architecture = SearchSpace.architecture(start.config());
        TrainingSpec spec = start.origin().sampled()
                ? TrainingSpec.resolve(payload.task(), architecture, SizePreset.SMALL,
                        payload.searchSpace().overrides(start.config(), payload.seed(), payload.task()))
                : TrainingRuns.presetSpec(payload.task(), architecture, payload.seed());
        Hyperparameters h = spec.hyperparameters();
        int target = start.targetEpochs() == 0 ? h.epochs() : start.targetEpochs();
        TuningTrial trial = store.create(jobId, number, start.origin(), start.config(), h, target);
        var errors = spec.validate(data.labelClasses().isEmpty() ? -1 : data.labelClasses().size());
        if (!errors.isEmpty()) {
            String message = errors.get(0).field() + ": " + errors.get(0).message();
            return store.update(trial.id, t -> {
                t.state = TuningTrial.State.FAILED;
                t.error = message;
            });
        }
        return trial;
    }

    private TrainingSpec spec(TuningTrial trial, TuningJobPayload payload) {
        Hyperparameters h = json.convertValue(store.tree(trial.hyperparameters), Hyperparameters.class);
        return new TrainingSpec(payload.task(), trial.architecture, SizePreset.SMALL, h);
    }

    private static TuningTrial byNumber(List<TuningTrial> trials, int number) {
        return trials.stream().filter(t -> t.number == number).findFirst()
                .orElseThrow(() -> new IllegalStateException("no trial " + number));
    }

    private static boolean budgetSpent(TuningJobPayload payload, ComputeClock clock) {
        return payload.maxComputeSeconds() != null
                && clock.total().compareTo(BigDecimal.valueOf(payload.maxComputeSeconds())) >= 0;
    }

    private static double progress(TuningJobPayload payload, List<TuningTrial> trials, ComputeClock clock) {
        long finished = trials.stream().filter(TuningTrial::isFinished).count();
        double done = (double) finished / payload.maxTrials();
        if (payload.maxComputeSeconds() != null) {
            done = Math.max(done, clock.total().doubleValue() / payload.maxComputeSeconds());
        }
        return Math.min(99.0, 100 * done);
    }

    private static void stopIfAsked(JobExecution execution) {
        StopReason reason = execution.stopRequested();
        if (reason != StopReason.NONE) {
            throw new JobStoppedException(reason);
        }
    }

    private ModelRuntime runtime() {
        ModelRuntime loaded = runtime;
        if (loaded == null) {
            synchronized (this) {
                if (runtime == null) {
                    runtime = ModelRuntime.load();
                }
                loaded = runtime;
            }
        }
        return loaded;
    }
}
