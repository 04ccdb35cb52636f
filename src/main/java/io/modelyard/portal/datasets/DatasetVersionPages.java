package io.modelyard.portal.datasets;

import io.modelyard.common.ProblemException;
import io.modelyard.common.WholeNumbers;
import io.modelyard.dataset.DatasetImages;
import io.modelyard.dataset.DatasetRequests;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.DatasetView;
import io.modelyard.dataset.image.ImageReport;
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

/**
 * A dataset version: its validation, cleaning and profile reports, re-cleaning, and downloads; for an image
 * dataset also a gallery of each class, the files validation flagged, and the thumbnails, served under the
 * session's tenant (the browser has no API key for {@code /v1/...}).
 */
@Path("/portal/t/{tenant}/dataset-versions/{id}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DatasetVersionPages {

    @CheckedTemplate(basePath = "portal/datasets")
    static class Templates {
        static native TemplateInstance version(Chrome chrome, VersionReport report, ImageGallery gallery);

        static native TemplateInstance images(Chrome chrome, DatasetView dataset, DatasetVersionView version,
                ImageGallery.ClassPage page);
    }

    private final PortalSession session;
    private final DatasetService datasets;
    private final DatasetVersions versions;
    private final DatasetImages images;

    DatasetVersionPages(PortalSession session, DatasetService datasets, DatasetVersions versions,
            DatasetImages images) {
        this.session = session;
        this.datasets = datasets;
        this.versions = versions;
        this.images = images;
    }

    @GET
    public TemplateInstance version(@PathParam("id") String id) throws IOException {
        Chrome chrome = session.tenantPage("datasets");
        DatasetVersionView version = versions.get(id);
        DatasetView dataset = datasets.get(version.datasetId());
        VersionReport report = VersionReport.of(dataset, version);
        ImageGallery gallery = null;
        if (isImage(dataset)) {
            ImageReport found = report.validation() == null ? null : report.validation().images();
            gallery = ImageGallery.of(found, (offset, limit) -> images.page(id, offset, limit),
                    imagesBase(chrome, id));
        }
        return Templates.version(chrome, report, gallery);
    }

    /** A page of an image version's images, of one class ({@code label}) or of all, from row {@code offset} on. */
    @GET
    @Path("images")
    public TemplateInstance images(@PathParam("id") String id, @QueryParam("label") String label,
            @QueryParam("offset") @DefaultValue("0") String offset) throws IOException {
        Chrome chrome = session.tenantPage("datasets");
        DatasetVersionView version = versions.get(id);
        DatasetView dataset = datasets.get(version.datasetId());
        if (!isImage(dataset)) {
            throw ProblemException.notFound("dataset version", id);
        }
        long from;
        try {
            from = Long.parseLong(offset.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("offset", "must be a whole number");
        }
        if (from < 0) {
            throw ProblemException.invalidField("offset", "must be 0 or more");
        }
        ImageGallery.ClassPage page = ImageGallery.page(label == null || label.isEmpty() ? null : label, from,
                (o, limit) -> images.page(id, o, limit), imagesBase(chrome, id));
        return Templates.images(chrome, dataset, version, page);
    }

    /**
     * An image as uploaded, opened from a thumbnail. Only the raster formats an upload accepts are ever stored,
     * served with the type their bytes show and {@code nosniff}, so a file cannot pass for a page.
     */
    @GET
    @Path("images/{imageId}")
    @Produces("image/*")
    public Response image(@PathParam("id") String id, @PathParam("imageId") String imageId) throws IOException {
        session.tenantPage("datasets");
        DatasetImages.ImageFile file = portalImage(() -> images.image(id, imageId), imageId);
        Response.ResponseBuilder response = Response.ok(file.bytes(), file.mediaType())
                .header("Cache-Control", "private, max-age=3600").header("X-Content-Type-Options", "nosniff");
        if (!file.mediaType().startsWith("image/")) {
            response.header("Content-Disposition", "attachment");
        }
        return response.build();
    }

    /**
     * An image's thumbnail, for the gallery's {@code <img>}: the tenant is the session's (checked by the portal's
     * request filter against the path); another tenant's version or image, an unknown id, or a version that is
     * not an image dataset's answers 404.
     */
    @GET
    @Path("images/{imageId}/thumbnail")
    @Produces("image/jpeg")
    public Response thumbnail(@PathParam("id") String id, @PathParam("imageId") String imageId) throws IOException {
        session.tenantPage("datasets");
        DatasetImages.ImageFile file = portalImage(() -> images.thumbnail(id, imageId), imageId);
        return Response.ok(file.bytes(), file.mediaType()).header("Cache-Control", "private, max-age=3600")
                .header("X-Content-Type-Options", "nosniff").build();
    }

    private interface ImageRead {
        DatasetImages.ImageFile read() throws IOException;
    }

    /** A page's image: a version that is not an image dataset's is, to a page, just a missing image. */
    private static DatasetImages.ImageFile portalImage(ImageRead read, String imageId) throws IOException {
        try {
            return read.read();
        } catch (ProblemException e) {
            if (e.status() == 400) {
                throw ProblemException.notFound("image", imageId);
            }
            throw e;
        }
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
                WholeNumbers.optionalLong(seed, "split_seed", "must be a whole number"), null, null);
        DatasetVersionView created = versions.clean(id, new DatasetRequests.CleanVersion(blank(from),
                (ColumnMap) null, cleaning, split), null).body();
        return Htmx.redirect(headers, chrome.base() + "/dataset-versions/" + created.id());
    }

    private static boolean isImage(DatasetView dataset) {
        return dataset.task().isImage();
    }

    private static String imagesBase(Chrome chrome, String versionId) {
        return chrome.base() + "/dataset-versions/" + versionId + "/images";
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
