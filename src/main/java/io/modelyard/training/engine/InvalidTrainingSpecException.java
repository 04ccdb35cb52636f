package io.modelyard.training.engine;

import io.modelyard.common.ProblemException.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** The trainer refused a spec; {@link #errors()} is what {@link TrainingSpec#validate(int)} found. */
public class InvalidTrainingSpecException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidTrainingSpecException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
