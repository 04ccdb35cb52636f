package io.modelyard.optimization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides a tuning job's next step from its trials alone, so that a job resumed on another worker (or after a
 * pause) takes the same decisions: a pure function of the trials recorded so far and the job's seed.
 *
 * <p>Order: a trial left running by an earlier run is resumed; then the two reference trials run in full (the
 * linear baseline, then the default preset a plain training job would train), so the job never ends with a
 * model worse on validation than either; then, for the {@code adaptive} strategy, asynchronous successive
 * halving (ASHA, Li et al. 2020): a trial waiting at rung k is promoted to rung k+1 when it is in the top 1/η of
 * the trials that reached rung k, else a new configuration (proposed by {@link TpeSampler}) starts at rung 0.
 * Trials never promoted end {@code stopped_early}. When no more trials may start and no sampled trial has been
 * trained to the end, the best one at the highest rung is promoted, so the search always finishes at least one.
 * The {@code random} strategy draws every configuration uniformly and trains each in full.
 */
final class TuningPlan {

    enum Strategy { ADAPTIVE, RANDOM }

    /** A trial as the plan sees it; {@code rungScores}: the score (larger is better) at each rung reached. */
    record TrialStatus(int number, TuningTrial.Origin origin, TuningTrial.State state, Map<String, Object> config,
            int rung, List<Double> rungScores, int targetEpochs) {
    }

    sealed interface Step permits Resume, Promote, Start, Done {
    }

    /** Continue a trial an earlier run left running. */
    record Resume(int number) implements Step {
    }

    /** Continue a waiting trial to the next rung. */
    record Promote(int number, int rung, int targetEpochs) implements Step {
    }

    /** @param targetEpochs epochs before the first decision; 0 trains the configuration in full */
    record Start(TuningTrial.Origin origin, Map<String, Object> config, int targetEpochs) implements Step {
    }

    record Done() implements Step {
    }

    private final SearchSpace space;
    private final Strategy strategy;
    private final int maxTrials;
    private final int eta;
    private final long seed;
    private final Map<String, Object> baseline;
    private final Map<String, Object> reference;
    private final int[] rungs;

    /**
     * @param baseline  the configuration of the linear baseline trial
     * @param reference the configuration of the default-preset trial
     */
    TuningPlan(SearchSpace space, Strategy strategy, int maxTrials, int eta, long seed, Map<String, Object> baseline,
            Map<String, Object> reference) {
        this.space = space;
        this.strategy = strategy;
        this.maxTrials = maxTrials;
        this.eta = eta;
        this.seed = seed;
        this.baseline = baseline;
        this.reference = reference;
        this.rungs = strategy == Strategy.RANDOM ? new int[] {space.maxEpochs()}
                : rungs(space.minEpochs(), space.maxEpochs(), eta);
    }

    /** Epochs at each rung: max, max/η, max/η², ... down to at least min, ascending. */
    static int[] rungs(int minEpochs, int maxEpochs, int eta) {
        List<Integer> found = new ArrayList<>(List.of(maxEpochs));
        double epochs = maxEpochs;
        while (true) {
            epochs /= eta;
            int rounded = (int) Math.round(epochs);
            if (rounded < minEpochs || rounded < 1) {
                break;
            }
            if (rounded < found.get(0)) {
                found.add(0, rounded);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] rungs() {
        return rungs.clone();
    }

    Step next(List<TrialStatus> trials) {
        for (TrialStatus t : trials) {
            if (t.state() == TuningTrial.State.RUNNING) {
                return new Resume(t.number());
            }
        }
        if (trials.stream().noneMatch(t -> t.origin() == TuningTrial.Origin.BASELINE)) {
            return new Start(TuningTrial.Origin.BASELINE, baseline, 0);
        }
        if (maxTrials > 1 && trials.stream().noneMatch(t -> t.origin() == TuningTrial.Origin.DEFAULT)) {
            return new Start(TuningTrial.Origin.DEFAULT, reference, 0);
        }
        List<TrialStatus> sampled = trials.stream().filter(t -> t.origin().sampled()).toList();
        Promote promotion = strategy == Strategy.ADAPTIVE ? promotion(sampled) : null;
        if (promotion != null) {
            return promotion;
        }
        if (trials.size() < maxTrials) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trials.size() + 1);
            if (strategy == Strategy.RANDOM) {
                return new Start(TuningTrial.Origin.RANDOM, space.random(random), 0);
            }
            List<TpeSampler.Observation> history = observations(sampled);
            TuningTrial.Origin origin = history.size() < TpeSampler.STARTUP ? TuningTrial.Origin.RANDOM
                    : TuningTrial.Origin.TPE;
            return new Start(origin, new TpeSampler(space).sample(history, random), rungs[0]);
        }
        Promote endgame = strategy == Strategy.ADAPTIVE ? endgame(sampled) : null;
        return endgame != null ? endgame : new Done();
    }

    /** ASHA: the first waiting trial, from the highest rung down, in the top 1/η of its rung. */
    private Promote promotion(List<TrialStatus> sampled) {
        for (int k = rungs.length - 2; k >= 0; k--) {
            int rung = k;
            List<TrialStatus> reached = sampled.stream().filter(t -> t.rungScores().size() > rung)
                    .sorted(Comparator.comparingDouble((TrialStatus t) -> t.rungScores().get(rung)).reversed()
                            .thenComparingInt(TrialStatus::number))
                    .toList();
            int top = reached.size() / eta;
            for (int i = 0; i < top; i++) {
                TrialStatus t = reached.get(i);
                if (t.state() == TuningTrial.State.WAITING && t.rung() == rung) {
                    return new Promote(t.number(), rung + 1, rungs[rung + 1]);
                }
            }
        }
        return null;
    }

    /** No trial may start and none sampled reached the last rung: the best at the highest rung goes on. */
    private Promote endgame(List<TrialStatus> sampled) {
        if (sampled.stream().anyMatch(t -> t.state() == TuningTrial.State.COMPLETED)) {
            return null;
        }
        return sampled.stream().filter(t -> t.state() == TuningTrial.State.WAITING)
                .max(Comparator.comparingInt(TrialStatus::rung)
                        .thenComparingDouble(t -> t.rungScores().get(t.rung()))
                        .thenComparing(Comparator.comparingInt(TrialStatus::number).reversed()))
                .map(t -> new Promote(t.number(), t.rung() + 1, rungs[t.rung() + 1]))
                .orElse(null);
    }

    /** Trials ranked by how far they got, then by their score there: the sampler's notion of good. */
    static List<TpeSampler.Observation> observations(List<TrialStatus> sampled) {
        List<TrialStatus> ranked = new ArrayList<>(sampled);
        ranked.sort(Comparator.comparingInt((TrialStatus t) -> t.rungScores().size())
                .thenComparingDouble(t -> t.rungScores().isEmpty() ? Double.NEGATIVE_INFINITY
                        : t.rungScores().get(t.rungScores().size() - 1))
                .reversed());
        List<TpeSampler.Observation> observations = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            observations.add(new TpeSampler.Observation(ranked.get(i).config(), -i));
        }
        return observations;
    }
}
