package io.modelyard.portal.start;

import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalSession;
import io.modelyard.tenant.Membership;
import io.modelyard.tenant.TenantRequests;
import io.modelyard.tenant.TenantDeletion;
import io.modelyard.tenant.TenantService;
import io.modelyard.tenant.TenantView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
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
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/** The way in: sign-up (a new tenant), choosing among one's tenants, and a tenant's overview. */
@Path("/portal")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class StartPages {

    @CheckedTemplate(basePath = "portal/start")
    static class Templates {
        static native TemplateInstance start(Chrome chrome, List<Chrome.TenantLink> tenants, boolean creating);

        static native TemplateInstance home(Chrome chrome, FirstRun checklist);

        static native TemplateInstance signedOut(Chrome chrome);
    }

    private final PortalSession session;
    private final TenantService tenants;
    private final TenantDeletion deletion;
    private final FirstRunChecklist checklist;
    private final FormValidation validation;

    StartPages(PortalSession session, TenantService tenants, TenantDeletion deletion, FirstRunChecklist checklist,
            FormValidation validation) {
        this.session = session;
        this.tenants = tenants;
        this.deletion = deletion;
        this.checklist = checklist;
        this.validation = validation;
    }

    @GET
    public Response start(@QueryParam("new") String creating, @QueryParam("choose") String choosing) {
        List<Membership> memberships = session.memberships();
        if (memberships.size() == 1 && !memberships.get(0).tenantStatus().deleted() && creating == null
                && choosing == null) {
            return Response.seeOther(URI.create("/portal/t/" + memberships.get(0).tenantId())).build();
        }
        Chrome chrome = session.personalPage("start");
        return Response.ok(Templates.start(chrome, chrome.tenants(), creating != null || memberships.isEmpty()))
                .build();
    }

    @POST
    @Path("tenants")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signUp(@RestForm String name, @Context HttpHeaders headers) {
        TenantView tenant = tenants.signUp(validation.valid(new TenantRequests.CreateTenant(name)), null).body();
        return Htmx.redirect(headers, "/portal/t/" + tenant.id());
    }

    @GET
    @Path("t/{tenant}")
    public TemplateInstance home(@PathParam("tenant") String tenant) {
        Chrome chrome = session.tenantPage("home");
        return Templates.home(chrome, checklist.of(chrome));
    }

    /** The owner takes back a tenant they deleted, within its grace period. */
    @POST
    @Path("t/{tenant}/restore")
    public Response restore(@PathParam("tenant") String tenant, @Context HttpHeaders headers) {
        deletion.restoreAsOwner(tenant);
        return Htmx.redirect(headers, "/portal/t/" + tenant);
    }

    /**
     * Sign-out. Authentication is lazy, so the sign-in mechanism sees {@code /portal/logout} only on a route that
     * needs the person: it ends the session here (deleting the stored tokens) and at Keycloak, and redirects
     * before this method runs.
     */
    @POST
    @Path("logout")
    public Response signOut() {
        return Response.seeOther(URI.create("/portal/signed-out")).build();
    }

    @GET
    @Path("logout")
    public Response signOutByLink() {
        return signOut();
    }

    @GET
    @Path("signed-out")
    @PermitAll
    public TemplateInstance signedOut() {
        return Templates.signedOut(Chrome.anonymous());
    }
}
