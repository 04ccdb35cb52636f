package io.modelyard.serving;

import io.modelyard.common.ProblemException;
import java.util.Map;

/**
 * The model cannot read one input (an unknown feature, a value of the wrong type, an empty text). Protocol
 * neutral: the engine's field ({@code text}, {@code features.<name>}) and the 0-based row of the request. The
 * public endpoints restate it in their own terms; between API and worker it travels as this problem.
 */
public class InputRejectedException extends ProblemException {

    public static final String TYPE = "invalid-input";

    private final String field;
    private final int row;

    public InputRejectedException(String message, String field, int row) {
        super(400, TYPE, "Invalid input", message, Map.of("field", field == null ? "" : field, "row", row),
                Map.of());
        this.field = field;
        this.row = row;
    }

    /** {@code text}, {@code features} or {@code features.<name>}. */
    public String field() {
        return field;
    }

    /** 0-based row of the request, or -1. */
    public int row() {
        return row;
    }

    /** The feature name when the field names one, else null. */
    public String feature() {
        return field != null && field.startsWith("features.") ? field.substring("features.".length()) : null;
    }
}
