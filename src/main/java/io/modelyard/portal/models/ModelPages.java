package io.modelyard.portal.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelyard.billing.metering.ChargedOnSuccess;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.model.AliasView;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.model.spec.TaskType;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.serving.ImageParts;
import io.modelyard.serving.PredictRequest;
import io.modelyard.serving.PredictionList;
import io.modelyard.serving.PredictionService;
import io.modelyard.serving.ServingConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/** Models: the registry with aliases, a model's evaluation and card, alias moves, and a "try it" box. */
@Path("/portal/t/{tenant}/models")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class ModelPages {

    @CheckedTemplate(basePath = "portal/models")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, Page<ModelView> models, List<AliasView> aliases,
                String after);

        static native TemplateInstance model(Chrome chrome, ModelReport report, List<AliasView> aliases);

        static native TemplateInstance predictions(PredictionView answer);
    }

    private final PortalSession session;
    private final ModelRegistry models;
    private final DatasetVersions versions;
    private final PredictionService predictions;
    private final ObjectMapper json;
    private final PortalConfig config;
    private final ServingConfig servingConfig;

    ModelPages(PortalSession session, ModelRegistry models, DatasetVersions versions, PredictionService predictions,
            ObjectMapper json, PortalConfig config, ServingConfig servingConfig) {
        this.servingConfig = servingConfig;
        this.session = session;
        this.models = models;
        this.versions = versions;
        this.predictions = predictions;
        this.json = json;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("models");
        return Templates.list(chrome, models.list(new PageRequest(config.pageSize(), after), null),
                models.listAliases(), after);
    }

    @GET
    @Path("{id}")
    public TemplateInstance model(@PathParam("id") String id) {
        Chrome chrome = session.tenantPage("models");
        ModelView model = models.get(id);
        List<String> features = model.task().hasOneInput() ? List.of()
                : ModelReport.featuresOf(versions.get(model.datasetVersionId()).schema());
        List<AliasView> aliases = models.listAliases();
        return Templates.model(chrome, ModelReport.of(model, models.card(id), features), aliases);
    }

    /**
     * Predicts through the same service as {@code POST /v1/models/{id}/predict}, metered alike: one input per
     * line (a text, or a JSON object of features).
     */
    @POST
    @Path("{id}/predict")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @ChargedOnSuccess
    public TemplateInstance predict(@PathParam("id") String id, @RestForm String inputs, @RestForm String explain) {
        session.tenantPage("models");
        ModelView model = models.get(id);
        boolean text = model.task() == TaskType.TEXT_CLASSIFICATION;
        List<String> lines = inputs == null ? List.of()
                : Arrays.stream(inputs.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw ProblemException.invalidField("inputs", "write at least one input, one per line");
        }
        List<JsonNode> nodes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            nodes.add(text ? TextNode.valueOf(lines.get(i)) : parse(lines.get(i), i));
        }
        boolean explaining = text && explain != null;
        PredictionList answer = predictions.predict(id, new PredictRequest(nodes, null, explaining),
                predictions.loadWait(List.of()));
        return Templates.predictions(PredictionView.of(answer, lines));
    }

    /**
     * Predicts on an uploaded image (the form's {@code image} file, read within the API's image limits), with the
     * occlusion map when asked: the answer shows the image with the map drawn over it.
     */
    @POST
    @Path("{id}/predict")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @ChargedOnSuccess
    public TemplateInstance predictImage(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
            InputStream body) {
        session.tenantPage("models");
        ImageParts.ImageRequest request = ImageParts.read(body, contentType, servingConfig);
        PredictionList answer = predictions.predictImages(id, request, predictions.loadWait(List.of()));
        return Templates.predictions(PredictionView.ofImages(answer, request.images()));
    }

    @POST
    @Path("{id}/aliases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setAlias(@PathParam("id") String id, @RestForm String alias, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("models");
        models.setAlias(alias == null ? null : alias.strip(), id);
        return Htmx.redirect(headers, chrome.base() + "/models/" + id);
    }

    @POST
    @Path("{id}/aliases/{alias}/remove")
    public Response removeAlias(@PathParam("id") String id, @PathParam("alias") String alias,
            @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("models");
        models.removeAlias(alias, id);
        return Htmx.redirect(headers, chrome.base() + "/models/" + id);
    }

    private JsonNode parse(String line, int index) {
        try {
            JsonNode node = json.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IOException("not an object");
            }
            return node;
        } catch (IOException e) {
            throw ProblemException.invalidField("inputs[" + index + "]",
                    "must be a JSON object of feature values, e.g. {\"age\": 41, \"region\": \"north\"}");
        }
    }
}
