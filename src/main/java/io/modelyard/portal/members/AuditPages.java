package io.modelyard.portal.members;

import io.modelyard.audit.AuditEventView;
import io.modelyard.audit.AuditEvents;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit log, for a tenant's owners and admins. */
@Path("/portal/t/{tenant}/audit")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    @CheckedTemplate(basePath = "portal/members")
    static class Templates {
        static native TemplateInstance audit(Chrome chrome, Page<AuditEventView> events, String after);
    }

    private final PortalSession session;
    private final AuditEvents audit;
    private final PortalConfig config;

    AuditPages(PortalSession session, AuditEvents audit, PortalConfig config) {
        this.session = session;
        this.audit = audit;
        this.config = config;
    }

    @GET
    public TemplateInstance audit(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("audit");
        return Templates.audit(chrome, audit.list(new PageRequest(config.pageSize(), after), null, null), after);
    }
}
