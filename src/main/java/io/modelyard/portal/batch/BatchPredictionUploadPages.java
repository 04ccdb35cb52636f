package io.modelyard.portal.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.upload.MultipartReader;
import io.modelyard.dataset.upload.UploadBody;
import io.modelyard.portal.PortalSession;
import io.modelyard.serving.batch.BatchPredictionService;
import io.modelyard.serving.batch.BatchPredictionService.UploadOptions;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The batch prediction form's file, streamed into the same upload path as {@code POST /v1/batch-predictions}: an
 * {@code options} JSON part (model, format, top_k, delimiter), then the {@code file} part — a CSV or JSON Lines
 * file of rows, or a zip of images for an image model. Under {@code /portal/upload/} like the dataset upload, the
 * one portal prefix the ingress lets large bodies through.
 */
@Path("/portal/upload/t/{tenant}/batch-predictions")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class BatchPredictionUploadPages {

    private static final int MAX_OPTIONS_BYTES = 16 * 1024;
    private static final Set<String> OPTIONS = Set.of("model", "format", "top_k", "delimiter");

    private final PortalSession session;
    private final BatchPredictionService batches;
    private final ObjectMapper json;

    BatchPredictionUploadPages(PortalSession session, BatchPredictionService batches, ObjectMapper json) {
        this.session = session;
        this.batches = batches;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(InputStream in, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") Long contentLength) {
        String base = session.tenantPage("batch").base();
        UploadBody body = new UploadBody(in, contentLength == null ? -1 : contentLength);
        try {
            MultipartReader parts = MultipartReader.open(body, contentType);
            UploadOptions options = null;
            for (MultipartReader.Part part; (part = parts.next()) != null; ) {
                if ("options".equals(part.name())) {
                    options = options(part.content());
                } else if ("file".equals(part.name())) {
                    if (options == null) {
                        throw ProblemException.invalidField("options", "part must come before the file");
                    }
                    String id = create(options, part).view().id();
                    boolean keepAlive = parts.skipRemainingParts();
                    return Response.status(201).header("HX-Redirect", base + "/batch-predictions/" + id)
                            .header("Connection", keepAlive ? null : "close").build();
                } else {
                    throw ProblemException.invalidField(String.valueOf(part.name()),
                            "is not a part of a batch prediction upload (send 'options', then 'file')");
                }
            }
            throw ProblemException.invalidField("file", "part is missing: choose a file to predict");
        } catch (IOException e) {
            if (body.failed()) {
                throw body.incomplete();
            }
            throw ProblemException.badRequest("malformed-multipart", "The form could not be read as "
                    + "multipart/form-data: " + e.getMessage()).withHeader("Connection", "close");
        } catch (ProblemException e) {
            // A refusal before the body's end closes the connection, so the browser stops sending.
            throw body.refusal(e);
        }
    }

    /** A zip goes to an image model's path; rows by their file's type (browsers send no type for .jsonl). */
    private BatchPredictionService.Created create(UploadOptions options, MultipartReader.Part file) {
        String name = file.filename() == null ? "" : file.filename().toLowerCase(Locale.ROOT);
        String type = file.contentType() == null ? "" : file.contentType().toLowerCase(Locale.ROOT);
        if (name.endsWith(".zip") || type.startsWith("application/zip") || type.startsWith("application/x-zip")) {
            return batches.createFromArchive(options, file.content(), -1, null);
        }
        String mediaType = name.endsWith(".csv") ? "text/csv"
                : name.endsWith(".tsv") ? "text/tab-separated-values"
                : name.endsWith(".jsonl") || name.endsWith(".ndjson") ? "application/x-ndjson"
                : type;
        return batches.createFromUpload(options, mediaType, file.content(), -1, null);
    }

    private UploadOptions options(InputStream part) throws IOException {
        byte[] bytes = part.readNBytes(MAX_OPTIONS_BYTES + 1);
        if (bytes.length > MAX_OPTIONS_BYTES) {
            throw ProblemException.invalidField("options", "is larger than " + MAX_OPTIONS_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (IOException e) {
            throw ProblemException.invalidField("options", "must be a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.invalidField("options", "must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OPTIONS.contains(name)) {
                throw ProblemException.invalidField(name, "is not an option of a batch prediction");
            }
        }
        return new UploadOptions(text(node, "model"), text(node, "format"),
                UploadOptions.topK(text(node, "top_k")), text(node, "delimiter"), Map.of());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : BatchPredictionPages.blankToNull(value.asText());
    }
}
