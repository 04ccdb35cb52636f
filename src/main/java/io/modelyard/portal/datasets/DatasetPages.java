package io.modelyard.portal.datasets;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetVersionView;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.DatasetView;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
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

/** Datasets: the list, uploads (streamed, with a progress bar), a dataset's versions, deletion. */
@Path("/portal/t/{tenant}/datasets")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DatasetPages {

    @CheckedTemplate(basePath = "portal/datasets")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, Page<DatasetView> datasets, String after);

        static native TemplateInstance dataset(Chrome chrome, DatasetView dataset,
                Page<DatasetVersionView> versions, String after);
    }

    private final PortalSession session;
    private final DatasetService datasets;
    private final DatasetVersions versions;
    private final PortalConfig config;

    DatasetPages(PortalSession session, DatasetService datasets, DatasetVersions versions, PortalConfig config) {
        this.session = session;
        this.datasets = datasets;
        this.versions = versions;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("datasets");
        return Templates.list(chrome, datasets.list(new PageRequest(config.pageSize(), after), null), after);
    }

    @GET
    @Path("{id}")
    public TemplateInstance dataset(@PathParam("id") String id, @QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("datasets");
        DatasetView dataset = datasets.get(id);
        return Templates.dataset(chrome, dataset, versions.list(id, new PageRequest(config.pageSize(), after)),
                after);
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("datasets");
        datasets.delete(id);
        return Htmx.redirect(headers, chrome.base() + "/datasets");
    }
}
