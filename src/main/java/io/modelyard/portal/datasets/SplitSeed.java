package io.modelyard.portal.datasets;

import io.modelyard.common.ProblemException;

/** The split seed of a form: empty for a random one, else a whole number. */
final class SplitSeed {

    private SplitSeed() {
    }

    static Long parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("split_seed", "must be a whole number");
        }
    }
}
