package io.modelyard.serving.internal;

import io.modelyard.serving.InferenceResult;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.PredictionLimits;
import io.modelyard.serving.runtime.LocalInference;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What a worker does for the API role: predict, describe, report readiness — on models the API has already
 * resolved for a tenant and sent by reference. Authenticated by {@link InternalAuthFilter}; no tenant context,
 * no database, no metering here (the API meters).
 */
@Path("/internal/v1")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "internal", description = "Between the platform's own processes; not for clients")
public class InternalInferenceResource {

    private final LocalInference inference;
    private final ArtifactOwnership ownership;
    private final PredictionLimits limits;

    InternalInferenceResource(LocalInference inference, ArtifactOwnership ownership, PredictionLimits limits) {
        this.inference = inference;
        this.ownership = ownership;
        this.limits = limits;
    }

    @POST
    @Path("/predict")
    @Operation(summary = "Predict on a model the API resolved (internal)", hidden = true)
    public InferenceResult predict(@NotNull InternalMessages.Predict request) {
        // A worker applies its own limits and ownership check: it trusts the API's secret, not the API's input.
        limits.check(request.inputs() == null ? java.util.List.of() : request.inputs(), row -> "inputs[" + row + "]");
        ownership.verify(request.model());
        return inference.infer(request.model(), request.inputs(), request.explain(), request.explainTokens(),
                Duration.ofMillis(request.waitMillis()));
    }

    @POST
    @Path("/describe")
    @Operation(summary = "What a model reads and answers (internal)", hidden = true)
    public ModelSignature describe(@NotNull InternalMessages.Describe request) {
        ownership.verify(request.model());
        return inference.describe(request.model(), Duration.ofMillis(request.waitMillis()));
    }

    @POST
    @Path("/ready")
    @Operation(summary = "Whether a model is loaded; starts loading it if not (internal)", hidden = true)
    public InternalMessages.Readiness ready(@NotNull InternalMessages.Ready request) {
        ownership.verify(request.model());
        return new InternalMessages.Readiness(inference.ready(request.model()));
    }

    @GET
    @Path("/health")
    @Operation(summary = "The worker answers internal calls (internal)", hidden = true)
    public Map<String, String> health() {
        return Map.of("status", "up");
    }
}
