package io.modelyard.serving;

import io.modelyard.common.ProblemException;
import io.modelyard.serving.engine.PredictionInput;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The size limits of one prediction request, applied where a request enters — by the API for clients, and again
 * by a worker for internal calls, which trusts the API's secret but not the size of what it is sent.
 */
@ApplicationScoped
public class PredictionLimits {

    private final ServingConfig config;

    PredictionLimits(ServingConfig config) {
        this.config = config;
    }

    /**
     * The configured limits: at least one input and at most {@code max-inputs} (413), texts not blank (400) and
     * at most {@code max-text-length} characters (413), images at most {@code max-image-bytes} (413).
     *
     * @param fieldOfRow how the protocol names an input, for the problem's {@code errors[].field}
     */
    public void check(List<PredictionInput> inputs, IntFunction<String> fieldOfRow) {
        if (inputs.isEmpty()) {
            throw ProblemException.invalidField("inputs", "must hold at least one input");
        }
        if (inputs.size() > config.maxInputs()) {
            throw new ProblemException(413, "too-many-inputs", "Too many inputs", "This request has "
                    + inputs.size() + " inputs; at most " + config.maxInputs() + " are allowed per request.")
                    .with("limit", config.maxInputs())
                    .with("errors", List.of(new ProblemException.FieldError("inputs",
                            "at most " + config.maxInputs() + " inputs per request")));
        }
        long maxImageBytes = config.maxImageBytes().asLongValue();
        for (int row = 0; row < inputs.size(); row++) {
            byte[] image = inputs.get(row).image();
            if (image != null && image.length > maxImageBytes) {
                String field = fieldOfRow.apply(row);
                throw new ProblemException(413, "image-too-large", "Image too large", field + " has "
                        + image.length + " bytes; at most " + maxImageBytes + " are allowed per image.")
                        .with("limit", maxImageBytes).with("row", row)
                        .with("errors", List.of(new ProblemException.FieldError(field,
                                "at most " + maxImageBytes + " bytes")));
            }
            String text = inputs.get(row).text();
            if (text == null) {
                continue;
            }
            if (text.isBlank()) {
                String field = fieldOfRow.apply(row);
                throw ProblemException.invalid(field + ": must not be empty",
                        List.of(new ProblemException.FieldError(field, "must not be empty"))).with("row", row);
            }
            if (text.length() > config.maxTextLength()
                    && text.codePointCount(0, text.length()) > config.maxTextLength()) {
                String field = fieldOfRow.apply(row);
                throw new ProblemException(413, "text-too-long", "Text too long", field + " has "
                        + text.codePointCount(0, text.length()) + " characters; at most " + config.maxTextLength()
                        + " are allowed.")
                        .with("limit", config.maxTextLength()).with("row", row)
                        .with("errors", List.of(new ProblemException.FieldError(field,
                                "at most " + config.maxTextLength() + " characters")));
            }
        }
    }
}
