package io.modelyard.portal.settings;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.common.WholeNumbers;
import io.modelyard.export.TenantExportRequests;
import io.modelyard.export.TenantExportService;
import io.modelyard.export.TenantExportView;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.TenantDeletion;
import io.modelyard.tenant.TenantRequests;
import io.modelyard.tenant.TenantRetention;
import io.modelyard.tenant.TenantService;
import io.modelyard.tenant.TenantView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The tenant's settings: its name and data retention (owners and admins), and for owners the export of everything
 * it holds and its deletion, confirmed by typing its name.
 */
@Path("/portal/t/{tenant}/settings")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class SettingsPages {

    @CheckedTemplate(basePath = "portal/settings")
    static class Templates {
        static native TemplateInstance settings(Chrome chrome, TenantView tenant, Page<TenantExportView> exports);
    }

    private final PortalSession session;
    private final TenantService tenants;
    private final TenantDeletion deletion;
    private final TenantExportService exports;
    private final BlobStore blobs;
    private final FormValidation validation;
    private final PortalConfig config;

    SettingsPages(PortalSession session, TenantService tenants, TenantDeletion deletion, TenantExportService exports,
            BlobStore blobs, FormValidation validation, PortalConfig config) {
        this.session = session;
        this.tenants = tenants;
        this.deletion = deletion;
        this.exports = exports;
        this.blobs = blobs;
        this.validation = validation;
        this.config = config;
    }

    @GET
    public TemplateInstance settings(@PathParam("tenant") String tenant) {
        Chrome chrome = session.tenantPage("settings");
        if (!chrome.can().admin()) {
            throw ProblemException.forbidden("insufficient-role", "Only owners and admins see the tenant's settings.");
        }
        Page<TenantExportView> archives = chrome.can().owner()
                ? exports.list(new PageRequest(config.pageSize(), null)) : null;
        return Templates.settings(chrome, tenants.get(tenant), archives);
    }

    @POST
    @Path("name")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rename(@PathParam("tenant") String tenant, @RestForm String name, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("settings");
        tenants.update(tenant, validation.valid(new TenantRequests.UpdateTenant(name == null ? "" : name.strip(),
                null)));
        return Htmx.redirect(headers, chrome.base() + "/settings");
    }

    @POST
    @Path("retention")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retention(@PathParam("tenant") String tenant, @RestForm("datasets_days") String datasetsDays,
            @RestForm("models_days") String modelsDays, @RestForm("batch_results_days") String batchResultsDays,
            @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("settings");
        TenantRetention retention = new TenantRetention(days("datasets_days", datasetsDays),
                days("models_days", modelsDays), days("batch_results_days", batchResultsDays));
        tenants.update(tenant, validation.valid(new TenantRequests.UpdateTenant(null, retention)));
        return Htmx.redirect(headers, chrome.base() + "/settings");
    }

    @POST
    @Path("exports")
    public Response export(@PathParam("tenant") String tenant, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("settings");
        exports.create(new TenantExportRequests.CreateTenantExport(), null);
        return Htmx.redirect(headers, chrome.base() + "/settings#exports");
    }

    @GET
    @Path("exports/{id}/download")
    @Produces("application/zip")
    public Response download(@PathParam("tenant") String tenant, @PathParam("id") String id) {
        session.tenantPage("settings");
        TenantExportService.Download download = exports.download(id);
        StreamingOutput body = out -> {
            try (InputStream in = blobs.open(download.blobKey(), download.sha256())) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, "application/zip").header("Content-Length", download.sizeBytes())
                .header("Content-Disposition", "attachment; filename=\"" + download.filename() + "\"").build();
    }

    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("tenant") String tenant, @RestForm String confirm,
            @Context HttpHeaders headers) {
        session.tenantPage("settings");
        deletion.deleteAsOwner(tenant, confirm);
        return Htmx.redirect(headers, "/portal?choose");
    }

    private static Integer days(String field, String value) {
        return WholeNumbers.optionalInt(value, field, "must be a whole number of days, or empty to keep for ever");
    }
}
