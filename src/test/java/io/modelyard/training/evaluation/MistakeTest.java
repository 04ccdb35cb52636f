package io.modelyard.training.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MistakeTest {

    @Test
    void keepsOnlyWrongAnswersMostConfidentFirst() {
        List<Mistake> found = Mistake.mostConfident(
                List.of("cat", "dog", "cat", "dog", "cat"),
                List.of("cat", "cat", "dog", "cat", "dog"),
                new double[] {0.99, 0.55, 0.91, 0.55, 0.70},
                List.of("i0", "i1", "i2", "i3", "i4"), 3);
        assertEquals(3, found.size());
        assertEquals(new Mistake(2, "i2", "cat", "dog", 0.91), found.get(0));
        assertEquals(new Mistake(4, "i4", "cat", "dog", 0.70), found.get(1));
        // a tie keeps the test split's order
        assertEquals(1, found.get(2).row());
    }

    @Test
    void aPerfectModelHasNoneAndAModelWithoutImagesHasNoIds() {
        assertTrue(Mistake.mostConfident(List.of("a"), List.of("a"), new double[] {0.9}, null, 5).isEmpty());
        List<Mistake> found = Mistake.mostConfident(List.of("a", "b"), List.of("b", "b"), new double[] {0.6, 0.8},
                null, 5);
        assertEquals(1, found.size());
        assertNull(found.get(0).imageId());
    }

    @Test
    void theEvaluationCarriesThemOnlyWhenGiven() {
        ClassificationEvaluation plain = Evaluation.classification(List.of("a", "b"), List.of("a", "b"),
                List.of("b", "b")).classification();
        assertNull(plain.mistakes());
        ClassificationEvaluation with = plain.withMistakes(List.of(new Mistake(0, "x", "a", "b", 0.8)));
        assertEquals(plain.accuracy(), with.accuracy());
        assertEquals(1, with.mistakes().size());
    }
}
