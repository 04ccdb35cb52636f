package io.modelyard.portal.operator;

import io.modelyard.billing.admin.BillingRequests;
import io.modelyard.billing.admin.PlanAdministration;
import io.modelyard.billing.plans.PlanView;
import io.modelyard.billing.admin.TenantBillingAdministration;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.tenant.AdminTenantView;
import io.modelyard.tenant.TenantAdministration;
import io.modelyard.tenant.TenantResolutionFilter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
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
import java.math.BigDecimal;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/** Platform operators: every tenant (suspend, resume, move to another plan) and the plans (their image pixel bound). */
@Path("/portal/admin")
@RolesAllowed(TenantResolutionFilter.OPERATOR_ROLE)
@Produces(MediaType.TEXT_HTML)
public class OperatorPages {

    @CheckedTemplate(basePath = "portal/operator")
    static class Templates {
        static native TemplateInstance tenants(Chrome chrome, Page<AdminTenantView> tenants, List<PlanView> plans,
                String after);

        static native TemplateInstance plans(Chrome chrome, List<PlanView> plans);
    }

    private final PortalSession session;
    private final TenantAdministration tenants;
    private final TenantBillingAdministration billing;
    private final PlanAdministration plans;
    private final FormValidation validation;
    private final PortalConfig config;

    OperatorPages(PortalSession session, TenantAdministration tenants, TenantBillingAdministration billing,
            PlanAdministration plans, FormValidation validation, PortalConfig config) {
        this.session = session;
        this.tenants = tenants;
        this.billing = billing;
        this.plans = plans;
        this.validation = validation;
        this.config = config;
    }

    @GET
    @Path("tenants")
    public TemplateInstance tenants(@QueryParam("after") String after) {
        Chrome chrome = session.personalPage("operator");
        return Templates.tenants(chrome, tenants.list(new PageRequest(config.pageSize(), after), null),
                plans.list(), after);
    }

    @POST
    @Path("tenants/{id}/suspend")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response suspend(@PathParam("id") String id, @RestForm String reason, @Context HttpHeaders headers) {
        tenants.suspend(id, reason == null || reason.isBlank() ? null : reason.strip());
        return Htmx.redirect(headers, "/portal/admin/tenants");
    }

    @POST
    @Path("tenants/{id}/resume")
    public Response resume(@PathParam("id") String id, @Context HttpHeaders headers) {
        tenants.resume(id);
        return Htmx.redirect(headers, "/portal/admin/tenants");
    }

    @POST
    @Path("tenants/{id}/plan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePlan(@PathParam("id") String id, @RestForm String plan, @Context HttpHeaders headers) {
        billing.updateAccount(id, validation.valid(new BillingRequests.UpdateBillingAccount(plan, null)));
        return Htmx.redirect(headers, "/portal/admin/tenants");
    }

    @GET
    @Path("plans")
    public TemplateInstance plans() {
        return Templates.plans(session.personalPage("operator"), plans.list());
    }

    /** The plan's bound on image pixels per prediction request; empty puts the plan on the platform's default. */
    @POST
    @Path("plans/{id}/image-pixels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response imagePixels(@PathParam("id") String id,
            @RestForm("max_image_pixels_per_request") String pixels, @Context HttpHeaders headers) {
        plans.update(id, validation.valid(new BillingRequests.UpdatePlan(null, null, null, null, null, null,
                BillingRequests.ImagePixelsChange.to(pixels(pixels)), null, null)));
        return Htmx.redirect(headers, "/portal/admin/plans");
    }

    private static BigDecimal pixels(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("max_image_pixels_per_request",
                    "must be a positive whole number of pixels, or empty for the platform's default");
        }
    }
}
