package io.modelyard.audit;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import io.quarkus.security.Authenticated;
import jakarta.transaction.Transactional;
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

    private final AuditEventRepository events;
    private final TenantContext context;

    AuditResource(AuditEventRepository events, TenantContext context) {
        this.events = events;
        this.context = context;
    }

    @GET
    @Transactional
    @Operation(summary = "Page through the tenant's audit log, newest first (owners and admins)")
    @APIResponse(responseCode = "200", description = "A page of audit events")
    @APIResponse(responseCode = "403", description = "Your role does not allow reading the audit log")
    public Page<AuditEventView> list(@BeanParam PageRequest page, @QueryParam("action") String action,
            @QueryParam("target_id") String targetId) {
        context.require(Permission.ADMIN);
        return Page.of(events.page(page, action, targetId), page, e -> e.id, AuditEventView::of);
    }
}
