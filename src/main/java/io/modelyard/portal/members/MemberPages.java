package io.modelyard.portal.members;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.tenant.MemberRole;
import io.modelyard.tenant.MemberService;
import io.modelyard.tenant.MemberView;
import io.modelyard.tenant.TenantRequests;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.RestForm;

/** Members: everyone sees who belongs; owners and admins invite, change roles and remove. */
@Path("/portal/t/{tenant}/members")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class MemberPages {

    @CheckedTemplate(basePath = "portal/members")
    static class Templates {
        static native TemplateInstance members(Chrome chrome, Page<MemberView> members, List<String> roles,
                String after);

    }

    private final PortalSession session;
    private final MemberService members;
    private final FormValidation validation;
    private final PortalConfig config;

    MemberPages(PortalSession session, MemberService members, FormValidation validation, PortalConfig config) {
        this.session = session;
        this.members = members;
        this.validation = validation;
        this.config = config;
    }

    @GET
    public TemplateInstance members(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("members");
        List<String> roles = Arrays.stream(MemberRole.values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList();
        return Templates.members(chrome, members.list(new PageRequest(config.pageSize(), after)), roles, after);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@RestForm String email, @RestForm String role, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("members");
        members.invite(validation.valid(new TenantRequests.InviteMember(email == null ? null : email.strip(),
                role(role))), null);
        return Htmx.redirect(headers, chrome.base() + "/members");
    }

    @POST
    @Path("{id}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRole(@PathParam("id") String id, @RestForm String role, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("members");
        members.changeRole(id, validation.valid(new TenantRequests.UpdateMember(role(role))));
        return Htmx.redirect(headers, chrome.base() + "/members");
    }

    @POST
    @Path("{id}/remove")
    public Response remove(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("members");
        members.remove(id);
        return Htmx.redirect(headers, chrome.base() + "/members");
    }

    private static MemberRole role(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return MemberRole.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("role", "must be owner, admin, member or viewer");
        }
    }
}
