package io.modelyard.training.engine;

import java.util.Objects;

/**
 * One thing wrong with a training spec, in the engine's terms: the request field it is about ({@code learning_rate},
 * {@code init_from_model}) and a sentence saying what is wrong. The platform turns these into its 400 response;
 * the engine knows nothing of HTTP.
 */
public record SpecViolation(String field, String message) {

    public SpecViolation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
