package io.modelyard.serving.engine;

/**
 * A prediction input the model cannot read: an empty text, an unknown feature name, a value of the wrong type.
 * Names the offending field and the 0-based row of the request so the API can answer 400 precisely.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final int row;

    public InvalidInputException(String message, String field, int row) {
        super(message);
        this.field = field;
        this.row = row;
    }

    /** {@code text}, {@code features} or {@code features.<name>}. */
    public String field() {
        return field;
    }

    /** 0-based index of the row in the request, or -1. */
    public int row() {
        return row;
    }
}
