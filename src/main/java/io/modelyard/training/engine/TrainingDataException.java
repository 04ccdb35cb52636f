package io.modelyard.training.engine;

/**
 * The data cannot be trained on as given: an empty split, a label outside the classes, a numeric cell that is
 * not a number. Names the column and, where it is about one row, the 0-based row of the split.
 */
public class TrainingDataException extends RuntimeException {

    private final String field;
    private final String split;
    private final int row;

    public TrainingDataException(String message, String field, String split, int row) {
        super(message);
        this.field = field;
        this.split = split;
        this.row = row;
    }

    /** The column concerned, or null. */
    public String field() {
        return field;
    }

    /** {@code train}, {@code validation} or {@code test}, or null. */
    public String split() {
        return split;
    }

    /** The 0-based row within {@link #split()}, or -1. */
    public int row() {
        return row;
    }
}
