package io.modelyard.training.engine;

import java.util.List;
import java.util.stream.Collectors;

/** The trainer refused a spec; {@link #errors()} is what {@link TrainingSpec#validate(int)} found. */
public class InvalidTrainingSpecException extends RuntimeException {

    private final List<SpecViolation> errors;

    public InvalidTrainingSpecException(List<SpecViolation> errors) {
        super(errors.stream().map(SpecViolation::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<SpecViolation> errors() {
        return errors;
    }
}
