package io.modelyard.billing.ledger;

import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantContext;
import java.util.Locale;

/** Who caused usage, carried as data to the metering writer's thread (which has no request scope). */
public record Origin(String actorType, String actorId, String reference, String apiKeyId, String sourceIp,
        String requestId) {

    public static Origin of(TenantContext context) {
        Actor actor = context.actorIfKnown().orElse(Actor.system("unknown"));
        return new Origin(actor.type().name().toLowerCase(Locale.ROOT), actor.id(), actor.reference(),
                actor.type() == Actor.Type.API_KEY ? actor.id() : null, context.sourceIp(), context.requestId());
    }

    public static Origin system(String what) {
        return new Origin("system", what, "system:" + what, null, null, null);
    }
}
