package io.modelyard.dataset.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.modelyard.common.ProblemException;
import io.modelyard.dataset.problem.DatasetProblem;
import org.junit.jupiter.api.function.Executable;

/** Assertions on the problems datasets are refused with. */
public final class Problems {

    private Problems() {
    }

    /** Runs {@code action}, expects {@code problem}, and returns it for more checks. */
    public static ProblemException expect(DatasetProblem problem, Executable action) {
        ProblemException e = assertThrows(ProblemException.class, action);
        assertEquals(problem.type(), e.type(), () -> "problem type; detail: " + e.detail());
        assertEquals(problem.status(), e.status(), "status");
        return e;
    }

    public static ProblemException expectAt(DatasetProblem problem, long row, Executable action) {
        ProblemException e = expect(problem, action);
        assertEquals(row, ((Number) e.extensions().get("row")).longValue(), () -> "row; detail: " + e.detail());
        return e;
    }
}
