package io.modelyard.portal.members;

import io.modelyard.audit.AuditEventView;
import io.modelyard.audit.AuditEvents;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.tenant.MemberService;
import io.modelyard.tenant.MemberView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The audit log, for a tenant's owners and admins. */
@Path("/portal/t/{tenant}/audit")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AuditPages {

    @CheckedTemplate(basePath = "portal/members")
    static class Templates {
        static native TemplateInstance audit(Chrome chrome, Page<AuditEventView> events, List<AuditRow> rows,
                String after);
    }

    /**
     * One event as the page shows it: who did it by name and email when the actor is one of the tenant's members,
     * else by reference ({@code api_key:key_...}, or a person no longer a member).
     */
    public record AuditRow(AuditEventView event, String reference, String person, String email) {

        static AuditRow of(AuditEventView event, Map<String, MemberView> membersBySubject) {
            String reference = event.actor().type() + ":" + event.actor().id();
            MemberView member = "user".equals(event.actor().type()) ? membersBySubject.get(event.actor().id()) : null;
            return member == null ? new AuditRow(event, reference, null, null)
                    : new AuditRow(event, reference, member.displayName() != null ? member.displayName()
                            : member.email(), member.email());
        }
    }

    /** At most this many pages of members are read to name the people in the log (a tenant has few). */
    private static final int MAX_MEMBER_PAGES = 10;

    private final PortalSession session;
    private final AuditEvents audit;
    private final PortalConfig config;
    private final MemberService members;

    AuditPages(PortalSession session, AuditEvents audit, PortalConfig config, MemberService members) {
        this.session = session;
        this.audit = audit;
        this.config = config;
        this.members = members;
    }

    @GET
    public TemplateInstance audit(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("audit");
        Page<AuditEventView> events = audit.list(new PageRequest(config.pageSize(), after), null, null);
        Map<String, MemberView> people = membersBySubject();
        return Templates.audit(chrome, events, events.data().stream().map(e -> AuditRow.of(e, people)).toList(),
                after);
    }

    private Map<String, MemberView> membersBySubject() {
        Map<String, MemberView> bySubject = new HashMap<>();
        String cursor = null;
        for (int page = 0; page < MAX_MEMBER_PAGES; page++) {
            Page<MemberView> members = this.members.list(new PageRequest(PageRequest.MAX_LIMIT, cursor));
            members.data().stream().filter(m -> m.subject() != null).forEach(m -> bySubject.put(m.subject(), m));
            if (!members.hasMore()) {
                break;
            }
            cursor = members.nextCursor();
        }
        return bySubject;
    }
}
