package io.modelyard.serving;

import io.modelyard.billing.plans.PlanLimits;
import io.modelyard.billing.plans.Plans;
import io.modelyard.common.ProblemException;
import io.modelyard.image.ImageDecoder;
import io.modelyard.image.ImageDimensions;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The size limits of one prediction request, applied where a request enters — by the API for clients, and again
 * by a worker for internal calls, which trusts the API's secret but not the size of what it is sent.
 */
@ApplicationScoped
public class PredictionLimits {

    private final ServingConfig config;
    private final Plans plans;
    private final TenantContext context;

    PredictionLimits(ServingConfig config, Plans plans, TenantContext context) {
        this.config = config;
        this.plans = plans;
        this.context = context;
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

    /**
     * The tenant's plan's bound on pixels: width x height of each image, read from its header (nothing is decoded),
     * summed over the request; more answer 413 {@code image-pixels-over-plan}. For requests from clients, which
     * have a tenant: workers do not check it again (they have no tenant and no plan), their decoder bounds each
     * image. The plan comes from memory, from the cache rate limits fill, so this adds no query to the request. An
     * image whose header cannot be read counts nothing here: decoding it refuses it with its reason.
     *
     * @param inputsField how the protocol names the inputs as a whole, for a total no single image passes
     */
    public void checkImagePixels(List<PredictionInput> inputs, String inputsField, IntFunction<String> fieldOfRow) {
        long total = 0;
        long largest = 0;
        int largestRow = -1;
        for (int row = 0; row < inputs.size(); row++) {
            byte[] image = inputs.get(row).image();
            Optional<ImageDimensions> dimensions = image == null ? Optional.empty() : ImageDecoder.dimensions(image);
            if (dimensions.isEmpty()) {
                continue;
            }
            long pixels = dimensions.get().pixels();
            // Saturates: 256 headers may each declare 2^62 pixels.
            total = total > Long.MAX_VALUE - pixels ? Long.MAX_VALUE : total + pixels;
            if (pixels > largest) {
                largest = pixels;
                largestRow = row;
            }
        }
        if (largestRow < 0) {
            return;
        }
        PlanLimits plan = plans.limitsOfTenant(context.requireTenant()).orElse(null);
        Long planLimit = plan == null ? null : plan.maxImagePixelsPerRequest();
        long limit = planLimit != null ? planLimit : config.maxImagePixelsPerRequest();
        if (total <= limit) {
            return;
        }
        String planName = plan == null ? "the tenant's plan" : "plan " + plan.plan();
        String field = largest > limit ? fieldOfRow.apply(largestRow) : inputsField;
        ProblemException refused = new ProblemException(413, "image-pixels-over-plan",
                "Too many image pixels for the plan", "The images of this request have " + total + " pixels in total; "
                        + planName + " allows at most " + limit + " per request"
                        + (planLimit == null ? " (the platform's default)." : "."))
                .with("limit", limit).with("pixels", total)
                .with("errors", List.of(new ProblemException.FieldError(field,
                        "at most " + limit + " pixels (width x height) in the request's images")));
        throw plan == null ? refused : refused.with("plan", plan.plan());
    }
}
