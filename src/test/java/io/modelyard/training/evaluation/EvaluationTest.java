package io.modelyard.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static final double EPS = 1e-12;

    /**
     * actual    a a a a b b b c c c
     * predicted a a b c b b a c c b
     * confusion (rows actual, columns predicted): a [2 1 1], b [1 2 0], c [0 1 2]
     */
    @Test
    void classificationMatchesHandComputedValues() {
        ClassificationEvaluation e = Evaluation.classification(List.of("a", "b", "c"),
                List.of("a", "a", "a", "a", "b", "b", "b", "c", "c", "c"),
                List.of("a", "a", "b", "c", "b", "b", "a", "c", "c", "b")).classification();
        assertEquals(0.6, e.accuracy(), EPS);
        assertEquals(10, e.support());
        assertArrayEquals(new long[] {2, 1, 1}, e.confusionMatrix().counts()[0]);
        assertArrayEquals(new long[] {1, 2, 0}, e.confusionMatrix().counts()[1]);
        assertArrayEquals(new long[] {0, 1, 2}, e.confusionMatrix().counts()[2]);
        // a: precision 2/3, recall 2/4, F1 = 2*(2/3)(1/2)/(2/3+1/2) = 4/7
        ClassMetrics a = e.forClass("a");
        assertEquals(2.0 / 3, a.precision(), EPS);
        assertEquals(0.5, a.recall(), EPS);
        assertEquals(4.0 / 7, a.f1(), EPS);
        assertEquals(4, a.support());
        // b: precision 2/4, recall 2/3, F1 4/7; c: precision 2/3, recall 2/3, F1 2/3
        assertEquals(0.5, e.forClass("b").precision(), EPS);
        assertEquals(2.0 / 3, e.forClass("b").recall(), EPS);
        assertEquals(2.0 / 3, e.forClass("c").f1(), EPS);
        assertEquals((2.0 / 3 + 0.5 + 2.0 / 3) / 3, e.macro().precision(), EPS);
        assertEquals((0.5 + 2.0 / 3 + 2.0 / 3) / 3, e.macro().recall(), EPS);
        assertEquals((4.0 / 7 + 4.0 / 7 + 2.0 / 3) / 3, e.macro().f1(), EPS);
        assertEquals(0.6, e.micro().f1(), EPS);
        assertEquals((4 * 4.0 / 7 + 3 * 4.0 / 7 + 3 * 2.0 / 3) / 10, e.weighted().f1(), EPS);
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionNotNaN() {
        ClassificationEvaluation e = Evaluation.classification(List.of("x", "y"), List.of("x", "y", "y"),
                List.of("y", "y", "y")).classification();
        assertEquals(0.0, e.forClass("x").precision());
        assertEquals(0.0, e.forClass("x").f1());
        assertEquals(2.0 / 3, e.forClass("y").precision(), EPS);
        assertEquals(1.0, e.forClass("y").recall(), EPS);
    }

    @Test
    void unknownLabelsAndLengthMismatchAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Evaluation.classification(List.of("x"), List.of("x"), List.of("z")));
        assertThrows(IllegalArgumentException.class,
                () -> Evaluation.classification(List.of("x"), List.of("x", "x"), List.of("x")));
    }

    /** actual 1 2 3 4, predicted 1 3 2 4: errors 0 1 -1 0; mean 2.5, SS_tot 5, SS_res 2. */
    @Test
    void regressionMatchesHandComputedValues() {
        RegressionEvaluation r = Evaluation.regression(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4})
                .regression();
        assertEquals(0.5, r.mse(), EPS);
        assertEquals(Math.sqrt(0.5), r.rmse(), EPS);
        assertEquals(0.5, r.mae(), EPS);
        assertEquals(1 - 2.0 / 5, r.r2(), EPS);
        assertEquals(4, r.count());
        assertEquals(1.0, Evaluation.regression(new double[] {2, 2}, new double[] {2, 2}).regression().r2());
    }
}
