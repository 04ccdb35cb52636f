package io.modelyard.portal.datasets;

import io.modelyard.dataset.DatasetRequests;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.schema.ColumnMap;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import org.jboss.resteasy.reactive.RestForm;

/** A dataset version: its validation, cleaning and profile reports, re-cleaning, and downloads. */
@Path("/portal/t/{tenant}/dataset-versions/{id}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DatasetVersionPages {

    @CheckedTemplate(basePath = "portal/datasets")
    static class Templates {
        static native TemplateInstance version(Chrome chrome, VersionReport report);
    }

    private final PortalSession session;
    private final DatasetService datasets;
    private final DatasetVersions versions;

    DatasetVersionPages(PortalSession session, DatasetService datasets, DatasetVersions versions) {
        this.session = session;
        this.datasets = datasets;
        this.versions = versions;
    }

    @GET
    public TemplateInstance version(@PathParam("id") String id) {
        Chrome chrome = session.tenantPage("datasets");
        DatasetVersionView version = versions.get(id);
        return Templates.version(chrome, VersionReport.of(datasets.get(version.datasetId()), version));
    }

    @GET
    @Path("download")
    @Produces({"text/csv", "application/x-ndjson"})
    public Response download(@PathParam("id") String id, @QueryParam("format") @DefaultValue("csv") String format) {
        session.tenantPage("datasets");
        DatasetVersions.Export export = versions.export(id, format, true);
        StreamingOutput body = out -> export.rows().writeTo(out);
        return Response.ok(body, export.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + export.filename() + "\"").build();
    }

    /** Re-cleans with the form's options into a new version (the source is never changed). */
    @POST
    @Path("clean")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clean(@PathParam("id") String id, @RestForm String from, @RestForm String whitespace,
            @RestForm("drop_duplicates") String dropDuplicates, @RestForm String missing,
            @RestForm String conflicts, @RestForm String outliers, @RestForm("outlier_action") String outlierAction,
            @RestForm("label_case") String labelCase, @RestForm("split_seed") String seed,
            @Context HttpHeaders headers) throws IOException {
        Chrome chrome = session.tenantPage("datasets");
        DatasetRequests.CleaningSettings cleaning = new DatasetRequests.CleaningSettings(null, blank(whitespace),
                dropDuplicates == null ? null : Boolean.TRUE, blank(missing), null, null, null, blank(conflicts),
                blank(outliers), blank(outlierAction), null, null, blank(labelCase));
        DatasetRequests.SplitSettings split = new DatasetRequests.SplitSettings(null, null, null,
                SplitSeed.parse(seed), null, null);
        DatasetVersionView created = versions.clean(id, new DatasetRequests.CleanVersion(blank(from),
                (ColumnMap) null, cleaning, split), null).body();
        return Htmx.redirect(headers, chrome.base() + "/dataset-versions/" + created.id());
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
