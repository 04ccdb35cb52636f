package io.modelyard.dataset.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.dataset.format.Problems;
import io.modelyard.dataset.problem.DatasetProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {

    /** Splits of a label sequence. */
    private static List<Split> draw(SplitOptions options, int[] labels) {
        SplitAssigner assigner = new SplitAssigner(options);
        List<Split> splits = new ArrayList<>(labels.length);
        for (int label : labels) {
            splits.add(assigner.assign(label, "label-" + label));
        }
        return splits;
    }

    @Test
    void everyLabelStaysWithinOneRowOfItsSharesAfterEveryRow() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            double train = 0.05 + random.nextDouble() * 0.9;
            double validation = random.nextDouble() * (1 - train);
            SplitOptions options = SplitOptions.DEFAULTS.withShares(train, validation, 1 - train - validation)
                    .withSeed(round);
            int[] labels = new int[1 + random.nextInt(3000)];
            int classes = 1 + random.nextInt(6);
            for (int i = 0; i < labels.length; i++) {
                labels[i] = random.nextInt(100) < 70 ? 0 : random.nextInt(classes); // imbalanced
            }
            SplitAssigner assigner = new SplitAssigner(options);
            long[][] counts = new long[classes][3];
            double[] shares = {options.train(), options.validation(), options.test()};
            for (int label : labels) {
                counts[label][assigner.assign(label, "c" + label).ordinal()]++;
                long n = counts[label][0] + counts[label][1] + counts[label][2];
                for (int s = 0; s < 3; s++) {
                    double deviation = Math.abs(counts[label][s] - n * shares[s]);
                    assertTrue(deviation <= 1 + 1e-9, "round " + round + " label " + label + " split " + s
                            + " after " + n + " rows: " + deviation);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitsAndAnotherSeedOthers() {
        int[] labels = new int[2000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        List<Split> first = draw(SplitOptions.DEFAULTS.withSeed(7), labels);
        assertEquals(first, draw(SplitOptions.DEFAULTS.withSeed(7), labels));
        assertNotEquals(first, draw(SplitOptions.DEFAULTS.withSeed(8), labels));
    }

    @Test
    void theDrawIsNotAFixedPattern() {
        // Systematic assignment would put exactly every 10th row of a label in validation.
        List<Split> splits = draw(SplitOptions.DEFAULTS, new int[1000]);
        List<Integer> gaps = new ArrayList<>();
        int last = -1;
        for (int i = 0; i < splits.size(); i++) {
            if (splits.get(i) == Split.VALIDATION) {
                if (last >= 0) {
                    gaps.add(i - last);
                }
                last = i;
            }
        }
        assertTrue(gaps.stream().distinct().count() > 5, gaps.toString());
    }

    @Test
    void aZeroShareIsNeverDrawn() {
        List<Split> splits = draw(SplitOptions.DEFAULTS.withShares(0.9, 0.1, 0), new int[500]);
        assertTrue(splits.stream().noneMatch(s -> s == Split.TEST));
        assertEquals(450, splits.stream().filter(s -> s == Split.TRAIN).count());
    }

    @Test
    void sharesAreValidated() {
        Problems.expect(DatasetProblem.INVALID_OPTIONS, () -> SplitOptions.DEFAULTS.withShares(0.8, 0.3, 0.1));
        Problems.expect(DatasetProblem.INVALID_OPTIONS, () -> SplitOptions.DEFAULTS.withShares(0, 0.5, 0.5));
    }

    @Test
    void tenantSplitValues() {
        assertEquals(Split.TRAIN, Split.parse(" Train "));
        assertEquals(Split.VALIDATION, Split.parse("val"));
        assertEquals(Split.VALIDATION, Split.parse("VALIDATION"));
        assertEquals(Split.TEST, Split.parse("test"));
        assertEquals(null, Split.parse("holdout"));
    }
}
