package io.modelyard.tenant;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/ping")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Sign-up and your tenants")
public class PingResource {

    private final TenantContext context;

    PingResource(TenantContext context) {
        this.context = context;
    }

    /** @param actor "user:&lt;subject&gt;" or "key:&lt;id&gt;"; null when anonymous */
    public record Ping(String object, boolean authenticated, String actor, String tenantId) {
    }

    @GET
    @Operation(summary = "Check that the API is up and see who your credentials say you are")
    @APIResponse(responseCode = "200", description = "Pong, with your identity when you sent credentials")
    @APIResponse(responseCode = "401", description = "The credentials you sent are invalid")
    public Ping ping() {
        return context.actorIfKnown()
                .map(actor -> new Ping("ping", true, actor.reference(),
                        context.databaseTenantId().isEmpty() ? null : context.databaseTenantId()))
                .orElse(new Ping("ping", false, null, null));
    }
}
