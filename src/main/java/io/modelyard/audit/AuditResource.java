package io.modelyard.audit;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/audit-events")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Who did what in your tenant")
public class AuditResource {

    private final AuditEvents events;

    AuditResource(AuditEvents events) {
        this.events = events;
    }

    @GET
    @Operation(summary = "Page through the tenant's audit log, newest first (owners and admins)")
    @APIResponse(responseCode = "200", description = "A page of audit events")
    @APIResponse(responseCode = "403", description = "Your role does not allow reading the audit log")
    public Page<AuditEventView> list(@BeanParam PageRequest page, @QueryParam("action") String action,
            @QueryParam("target_id") String targetId) {
        return events.list(page, action, targetId);
    }
}
