package io.modelyard.billing.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.modelyard.billing.plans.Plan;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.io.IOException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request bodies of the operators' billing endpoints. */
public final class BillingRequests {

    static final String PLAN_NAME = "[a-z0-9][a-z0-9_-]{0,39}";
    static final String CURRENCY = "[a-z]{3}";

    private BillingRequests() {
    }

    /** Requests per second and burst of one bucket. */
    public record Bucket(@NotNull @DecimalMin(value = "0.001") BigDecimal requestsPerSecond,
            @NotNull @Positive Integer burst) {
    }

    public record RateLimits(@NotNull @Valid Bucket apiKey, @NotNull @Valid Bucket tenant) {
    }

    /**
     * The terms of one meter; replaces the meter's terms whole.
     *
     * @param limit     null: unlimited
     * @param unitPrice minor units per unit beyond what is included (may be fractional)
     */
    public record MeterTerms(@NotNull @PositiveOrZero BigDecimal included, @NotNull Plan.Quota quota,
            @PositiveOrZero BigDecimal limit, @NotNull @PositiveOrZero BigDecimal unitPrice) {
    }

    /**
     * @param maxImagePixelsPerRequest a positive whole number, or absent for the platform's default (a decimal here
     *                                 so that 1.5 is refused, not rounded: see {@link PlanAdministration})
     * @param meters                   terms by meter name; meters left out include nothing and cost nothing
     */
    public record CreatePlan(@NotBlank @Pattern(regexp = PLAN_NAME) String id, @NotBlank @Size(max = 100) String displayName,
            @Pattern(regexp = CURRENCY) String currency, @PositiveOrZero Long basePrice,
            @NotNull @Positive Long maxUploadBytes, @NotNull @Positive Long storageCapBytes,
            @NotNull @Positive Integer maxConcurrentJobs, BigDecimal maxImagePixelsPerRequest,
            @NotNull @Valid RateLimits rateLimits, Map<String, @Valid MeterTerms> meters) {
    }

    /**
     * Every field optional; {@code meters} replaces the terms of the meters it names.
     *
     * @param maxImagePixelsPerRequest left out: unchanged; {@code null}: back to the platform's default; else a
     *                                 positive whole number
     */
    public record UpdatePlan(@Size(min = 1, max = 100) String displayName, @Pattern(regexp = CURRENCY) String currency,
            @PositiveOrZero Long basePrice, @Positive Long maxUploadBytes, @Positive Long storageCapBytes,
            @Positive Integer maxConcurrentJobs,
            @Schema(type = SchemaType.INTEGER, nullable = true, description = "null: the platform's default")
            ImagePixelsChange maxImagePixelsPerRequest,
            @Valid RateLimits rateLimits, Map<String, @Valid MeterTerms> meters) {
    }

    /**
     * What a PATCH does to a plan's image pixel bound. Unlike the other fields, null is a value here (the
     * platform's default), so "left out" needs a state of its own, which a plain field cannot hold: Jackson gives
     * a record the same null, or the same empty Optional, for both.
     *
     * @param named  whether the request names the field
     * @param pixels the new bound, null for the platform's default
     */
    @JsonDeserialize(using = ImagePixelsChange.Reader.class)
    public record ImagePixelsChange(boolean named, BigDecimal pixels) {

        public static final ImagePixelsChange UNCHANGED = new ImagePixelsChange(false, null);

        public static ImagePixelsChange to(BigDecimal pixels) {
            return new ImagePixelsChange(true, pixels);
        }

        /** A number sets the bound, null resets it, and a field left out leaves it. */
        static final class Reader extends StdDeserializer<ImagePixelsChange> {

            Reader() {
                super(ImagePixelsChange.class);
            }

            @Override
            public ImagePixelsChange deserialize(JsonParser parser, DeserializationContext context)
                    throws IOException {
                return to(context.readValue(parser, BigDecimal.class));
            }

            @Override
            public ImagePixelsChange getNullValue(DeserializationContext context) {
                return to(null);
            }

            @Override
            public Object getAbsentValue(DeserializationContext context) {
                return UNCHANGED;
            }
        }
    }

    /** Both optional: the plan to move the tenant to, the customer id at the external biller. */
    public record UpdateBillingAccount(@Pattern(regexp = PLAN_NAME) String plan,
            @Pattern(regexp = "[A-Za-z0-9_]{1,255}") String stripeCustomerId) {
    }

    /**
     * Either {@code meter} and {@code quantity} (raises what is included and the limit of that meter), or
     * {@code amount} in minor units (offsets the invoice; {@code currency} defaults to the plan's).
     *
     * @param period YYYY-MM, default the current period
     */
    public record GrantCredit(String meter, @Positive BigDecimal quantity, @Positive Long amount,
            @Pattern(regexp = CURRENCY) String currency, @NotBlank @Size(max = 500) String reason, String period) {
    }
}
