package io.modelyard.portal.datasets;

import io.modelyard.dataset.DatasetUploads;
import io.modelyard.dataset.DatasetView;
import io.modelyard.portal.PortalSession;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * The upload form's request, streamed into the same upload path as {@code POST /v1/datasets}. Under
 * {@code /portal/upload/} so that the ingress gives this path, and no other portal path, the plans' upload
 * size and streams it through.
 */
@Path("/portal/upload/t/{tenant}/datasets")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DatasetUploadPages {

    private final PortalSession session;
    private final DatasetUploads uploads;

    DatasetUploadPages(PortalSession session, DatasetUploads uploads) {
        this.session = session;
        this.uploads = uploads;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(InputStream in, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") Long contentLength) {
        String base = session.tenantPage("datasets").base();
        DatasetUploads.Received received = uploads.multipart(in, contentType, contentLength, null);
        DatasetView dataset = received.outcome().body();
        return Response.status(201).header("HX-Redirect", base + "/dataset-versions/" + dataset.latestVersion().id())
                .header("Connection", received.keepAlive() ? null : "close").build();
    }
}
