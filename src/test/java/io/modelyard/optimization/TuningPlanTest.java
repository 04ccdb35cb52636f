package io.modelyard.optimization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.model.spec.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search's decisions, which must follow from the trials alone (a resumed job decides the same way). */
class TuningPlanTest {

    private static final SearchSpace SPACE = new SearchSpace(null, null, 1, 9).completedFor(
            TaskType.TEXT_CLASSIFICATION);

    @Test
    void rungsDivideTheEpochsByTheReductionFactor() {
        assertArrayEquals(new int[] {1, 3, 9}, TuningPlan.rungs(1, 9, 3));
        assertArrayEquals(new int[] {3, 9, 27}, TuningPlan.rungs(3, 27, 3));
        assertArrayEquals(new int[] {1, 2, 4}, TuningPlan.rungs(1, 4, 2));
        assertArrayEquals(new int[] {5}, TuningPlan.rungs(5, 5, 3));
    }

    @Test
    void theReferenceTrialsComeFirstThenSampledTrialsStartAtTheFirstRung() {
        TuningPlan plan = plan(TuningPlan.Strategy.ADAPTIVE, 20);
        List<TuningPlan.TrialStatus> trials = new ArrayList<>();
        TuningPlan.Start first = assertInstanceOf(TuningPlan.Start.class, plan.next(trials));
        assertEquals(TuningTrial.Origin.BASELINE, first.origin());
        assertEquals(0, first.targetEpochs());
        trials.add(done(1, TuningTrial.Origin.BASELINE, List.of()));
        assertEquals(TuningTrial.Origin.DEFAULT, ((TuningPlan.Start) plan.next(trials)).origin());
        trials.add(done(2, TuningTrial.Origin.DEFAULT, List.of()));
        TuningPlan.Start sampled = assertInstanceOf(TuningPlan.Start.class, plan.next(trials));
        assertEquals(TuningTrial.Origin.RANDOM, sampled.origin());
        assertEquals(1, sampled.targetEpochs());
        // the same trials give the same proposal: the decision is a function of the record
        assertEquals(sampled, plan.next(trials));
    }

    @Test
    void aTrialLeftRunningIsResumedBeforeAnythingElse() {
        List<TuningPlan.TrialStatus> trials = List.of(done(1, TuningTrial.Origin.BASELINE, List.of()),
                new TuningPlan.TrialStatus(2, TuningTrial.Origin.DEFAULT, TuningTrial.State.RUNNING,
                        Map.of("architecture", "bag_of_embeddings"), -1, List.of(), 10));
        assertEquals(new TuningPlan.Resume(2), plan(TuningPlan.Strategy.ADAPTIVE, 20).next(trials));
    }

    @Test
    void theTopThirdOfARungIsPromotedAndTheSamplerTakesOverAfterTheStartup() {
        TuningPlan plan = plan(TuningPlan.Strategy.ADAPTIVE, 20);
        List<TuningPlan.TrialStatus> trials = new ArrayList<>(List.of(done(1, TuningTrial.Origin.BASELINE, List.of()),
                done(2, TuningTrial.Origin.DEFAULT, List.of())));
        trials.add(waiting(3, 0.5));
        trials.add(waiting(4, 0.9));
        // two at rung 0: the top third is nobody yet, so a new trial starts
        assertInstanceOf(TuningPlan.Start.class, plan.next(trials));
        trials.add(waiting(5, 0.7));
        // three: the best (trial 4) goes to rung 1, for 3 epochs
        assertEquals(new TuningPlan.Promote(4, 1, 3), plan.next(trials));
        trials.add(waiting(6, 0.1));
        trials.set(3, new TuningPlan.TrialStatus(4, TuningTrial.Origin.RANDOM, TuningTrial.State.WAITING,
                Map.of("architecture", "linear"), 1, List.of(0.9, 0.95), 3));
        TuningPlan.Start next = assertInstanceOf(TuningPlan.Start.class, plan.next(trials));
        assertEquals(TuningTrial.Origin.TPE, next.origin(), "four sampled trials seen: the TPE sampler proposes");
    }

    @Test
    void whenNoTrialMayStartTheBestWaitingOneIsTrainedToTheEnd() {
        TuningPlan plan = plan(TuningPlan.Strategy.ADAPTIVE, 4);
        List<TuningPlan.TrialStatus> trials = List.of(done(1, TuningTrial.Origin.BASELINE, List.of()),
                done(2, TuningTrial.Origin.DEFAULT, List.of()), waiting(3, 0.4), waiting(4, 0.6));
        assertEquals(new TuningPlan.Promote(4, 1, 3), plan.next(trials));
        List<TuningPlan.TrialStatus> finished = List.of(trials.get(0), trials.get(1), trials.get(2),
                done(4, TuningTrial.Origin.RANDOM, List.of(0.6, 0.7, 0.8)));
        assertInstanceOf(TuningPlan.Done.class, plan.next(finished));
    }

    @Test
    void randomSearchTrainsEveryConfigurationInFull() {
        TuningPlan plan = plan(TuningPlan.Strategy.RANDOM, 5);
        List<TuningPlan.TrialStatus> trials = List.of(done(1, TuningTrial.Origin.BASELINE, List.of()),
                done(2, TuningTrial.Origin.DEFAULT, List.of()));
        TuningPlan.Start start = assertInstanceOf(TuningPlan.Start.class, plan.next(trials));
        assertEquals(TuningTrial.Origin.RANDOM, start.origin());
        assertEquals(0, start.targetEpochs());
    }

    @Test
    void theParetoFrontKeepsOnlyTheUndominated() {
        List<ParetoFront.Point> points = List.of(new ParetoFront.Point(1, 0.90, 1.0, 1000),
                new ParetoFront.Point(2, 0.95, 3.0, 5000), new ParetoFront.Point(3, 0.89, 2.0, 2000),
                new ParetoFront.Point(4, 0.80, 0.5, 900));
        assertEquals(List.of(1, 2, 4), ParetoFront.of(points).stream().map(ParetoFront.Point::number).toList());
    }

    @Test
    void theLinearBaselineIsAlwaysInTheSpace() {
        SearchSpace custom = new SearchSpace(List.of(io.modelyard.model.spec.Architecture.TEXT_CNN), null,
                null, null).completedFor(TaskType.TEXT_CLASSIFICATION);
        assertEquals("linear", custom.architectures().get(0).wireName());
        assertTrue(custom.validate(TaskType.TEXT_CLASSIFICATION).isEmpty());
    }

    private static TuningPlan plan(TuningPlan.Strategy strategy, int maxTrials) {
        return new TuningPlan(SPACE, strategy, maxTrials, 3, 7, Map.of("architecture", "linear"),
                Map.of("architecture", "bag_of_embeddings"));
    }

    private static TuningPlan.TrialStatus done(int number, TuningTrial.Origin origin, List<Double> scores) {
        return new TuningPlan.TrialStatus(number, origin, TuningTrial.State.COMPLETED,
                Map.of("architecture", "linear"), scores.size() - 1, scores, 9);
    }

    private static TuningPlan.TrialStatus waiting(int number, double score) {
        return new TuningPlan.TrialStatus(number, TuningTrial.Origin.RANDOM, TuningTrial.State.WAITING,
                Map.of("architecture", "bag_of_embeddings", "learning_rate", 0.01, "dropout", 0.1, "batch_size", 32,
                        "embedding_size", 32, "hidden_size", 32, "max_sequence_length", 64), 0, List.of(score), 1);
    }
}
