package io.modelyard.dataset.split;

/** Rows per split. */
public record SplitCounts(long train, long validation, long test) {

    public static SplitCounts of(long[] counts) {
        return new SplitCounts(counts[0], counts[1], counts[2]);
    }

    public long total() {
        return train + validation + test;
    }

    public long get(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALIDATION -> validation;
            case TEST -> test;
        };
    }
}
