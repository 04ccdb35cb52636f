package io.modelyard.serving;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.billing.UsageRecorder;
import io.modelyard.common.TypedId;
import io.modelyard.model.ServableModel;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one place where predictions meet billing: the quota check before a prediction runs, the usage it records
 * after it succeeded. Billing's quota and group-commit API replaces the inside of this class, nothing else.
 *
 * <p>Only the {@code predictions} meter (the number of inputs) is recorded here; {@code api_requests} is
 * metered by billing for every API-key request alike, so recording it here too would count it twice. The usage
 * event commits in its own short transaction after the prediction succeeded and before the answer leaves, so
 * an answered request is recorded exactly once (its idempotency key is the prediction's own id, never a
 * client-supplied value), and a failed one — bad input, unknown model, worker down, or this very recording
 * failing — records nothing and answers an error. The transaction is not held open during inference: a model
 * that takes a while must not pin a database connection.
 */
@ApplicationScoped
public class PredictionMetering {

    private final UsageRecorder usage;
    private final TenantContext context;

    PredictionMetering(UsageRecorder usage, TenantContext context) {
        this.usage = usage;
        this.context = context;
    }

    /**
     * Runs {@code prediction} if the tenant's plan admits {@code predictions} more, and records them once it
     * succeeded.
     *
     * @param predictionId the prediction's id, unique per request (the usage's idempotency key)
     * @param protocol     {@code v1} or {@code oip}, kept as an attribute of the usage
     * @param confirm      runs in the usage's transaction before it is recorded (the caller confirms there that
     *                     the model it used is still the one the request named); what it throws fails the request
     */
    public <T> T metered(ServableModel model, int predictions, String predictionId, String protocol,
            Supplier<T> prediction, Runnable confirm) {
        admit(model, predictions);
        T result = prediction.get();
        record(model, predictions, predictionId, protocol, confirm);
        return result;
    }

    /** A fresh prediction id ({@code prd_...}). */
    public static String newPredictionId() {
        return TypedId.generate("prd");
    }

    /**
     * The quota check. Plans carry no prediction quota or rate limit yet (billing adds them); until then every
     * request is admitted. Billing's check throws its problem (402/403/429 with Retry-After) from here.
     */
    private void admit(ServableModel model, int predictions) {
    }

    private void record(ServableModel model, int predictions, String predictionId, String protocol,
            Runnable confirm) {
        String apiKeyId = context.actorIfKnown().filter(a -> a.type() == Actor.Type.API_KEY).map(Actor::id)
                .orElse(null);
        Usage event = Usage.of(Meter.PREDICTIONS, predictions, "prediction:" + predictionId)
                .withApiKey(apiKeyId).withModel(model.id()).withAttributes(Map.of("protocol", protocol));
        QuarkusTransaction.requiringNew().run(() -> {
            confirm.run();
            usage.record(event);
        });
    }
}
