package io.modelyard.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;

/**
 * Validates a request record built from a portal form with the same constraints the API's {@code @Valid} applies,
 * so a form is refused exactly where the API would refuse the same JSON, in the same words.
 */
@ApplicationScoped
public class FormValidation {

    private final Validator validator;

    FormValidation(Validator validator) {
        this.validator = validator;
    }

    /** Returns {@code request} if it is valid. @throws ConstraintViolationException otherwise */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }
}
