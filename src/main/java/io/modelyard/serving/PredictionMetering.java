package io.modelyard.serving;

import io.modelyard.billing.metering.ChargedOnSuccess;
import io.modelyard.billing.metering.MeteredRequest;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.common.TypedId;
import io.modelyard.model.ServableModel;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where predictions meet billing: the quota check before a prediction runs, the usage it adds to
 * the request's charge after it succeeded.
 *
 * <p>Only the {@code predictions} meter (the model passes: one per input, more for explanations) is added here; {@code api_requests} is metered by
 * billing for every API-key request alike. Billing charges both when the response is ready, through its
 * group-commit writer, and only for a successful response: a failed request — bad input, unknown model, worker
 * down — records nothing. Prediction endpoints are {@link ChargedOnSuccess}: their usage is
 * admitted against the hard quota after the prediction ran, and a request the quota no longer admits answers 402
 * instead of its result, so the ledger never holds more than the quota and never less than what was answered.
 * The usage's idempotency key is the prediction's own id, never a client-supplied value.
 */
@ApplicationScoped
public class PredictionMetering {

    private final MeteredRequest request;
    private final TenantContext context;

    PredictionMetering(MeteredRequest request, TenantContext context) {
        this.request = request;
        this.context = context;
    }

    /**
     * Runs {@code prediction} unless the tenant's prediction quota is known to be spent, and adds its usage to
     * the request's charge once it succeeded: {@code predictions} = the model passes it cost, one per input plus
     * what explanations ran ({@link InferenceResult#modelPasses}).
     *
     * @param predictionId the prediction's id, unique per request (the usage's idempotency key)
     * @param protocol     {@code v1} or {@code oip}, kept as an attribute of the usage
     */
    public InferenceResult metered(ServableModel model, String predictionId, String protocol,
            Supplier<InferenceResult> prediction) {
        request.requireQuota(Meter.PREDICTIONS);
        InferenceResult result = prediction.get();
        String apiKeyId = context.actorIfKnown().filter(a -> a.type() == Actor.Type.API_KEY).map(Actor::id)
                .orElse(null);
        request.add(Usage.of(Meter.PREDICTIONS, result.modelPasses(), "prediction:" + predictionId)
                .withApiKey(apiKeyId).withModel(model.id()).withAttributes(Map.of("protocol", protocol)));
        return result;
    }

    /** A fresh prediction id ({@code prd_...}). */
    public static String newPredictionId() {
        return TypedId.generate("prd");
    }
}
