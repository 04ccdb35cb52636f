package io.modelyard.portal.batch;

import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetView;
import io.modelyard.job.JobService;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ModelView;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.portal.training.JobTimeline;
import io.modelyard.serving.batch.BatchPredictionRequests.CreateBatchPrediction;
import io.modelyard.serving.batch.BatchPredictionService;
import io.modelyard.serving.batch.BatchPredictionService.UploadOptions;
import io.modelyard.serving.batch.BatchPredictionView;
import io.modelyard.serving.batch.BatchResultDownloads;
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
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Batch predictions: the tenant's list, a form to predict a dataset version or an uploaded file with a model, a
 * job's page (live progress, cancel, the result's download). Through the same service as
 * {@code /v1/batch-predictions}: the same checks, quota hold and job.
 */
@Path("/portal/t/{tenant}/batch-predictions")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class BatchPredictionPages {

    @CheckedTemplate(basePath = "portal/batch")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, Page<BatchPredictionView> batches, List<ModelView> models,
                List<DatasetView> datasets, String selectedModel, String after);

        static native TemplateInstance batch(Chrome chrome, BatchPredictionView batch, String modelName,
                JobTimeline timeline);
    }

    private static final int CHOICES = 100;

    private final PortalSession session;
    private final BatchPredictionService batches;
    private final BatchResultDownloads downloads;
    private final ModelRegistry models;
    private final DatasetService datasets;
    private final JobService jobs;
    private final FormValidation validation;
    private final PortalConfig config;

    BatchPredictionPages(PortalSession session, BatchPredictionService batches, BatchResultDownloads downloads,
            ModelRegistry models, DatasetService datasets, JobService jobs, FormValidation validation,
            PortalConfig config) {
        this.jobs = jobs;
        this.session = session;
        this.batches = batches;
        this.downloads = downloads;
        this.models = models;
        this.datasets = datasets;
        this.validation = validation;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after, @QueryParam("model") String model) {
        Chrome chrome = session.tenantPage("batch");
        List<ModelView> modelChoices = models.list(new PageRequest(CHOICES, null), null).data();
        List<DatasetView> versionChoices = datasets.list(new PageRequest(CHOICES, null), null).data().stream()
                .filter(d -> d.latestVersion() != null).toList();
        return Templates.list(chrome, batches.list(new PageRequest(config.pageSize(), after), null, Map.of()),
                modelChoices, versionChoices, model, after);
    }

    /** Predicts a dataset version: the form's model, version, result format and top k. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String model, @RestForm("dataset_version_id") String datasetVersionId,
            @RestForm String format, @RestForm("top_k") String topK, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("batch");
        CreateBatchPrediction request = validation.valid(new CreateBatchPrediction(model, datasetVersionId,
                blankToNull(format), UploadOptions.topK(topK), null));
        BatchPredictionView created = batches.create(request, null).view();
        return Htmx.redirect(headers, chrome.base() + "/batch-predictions/" + created.id());
    }

    @GET
    @Path("{id}")
    public TemplateInstance batch(@PathParam("id") String id) {
        Chrome chrome = session.tenantPage("batch");
        BatchPredictionView batch = batches.get(id);
        String modelName = models.get(batch.modelId()).name();
        JobTimeline timeline = JobTimeline.read(id, batch.state(), jobs, chrome.base(), metric -> { });
        return Templates.batch(chrome, batch, modelName, timeline);
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("batch");
        batches.cancel(id);
        return Htmx.redirect(headers, chrome.base() + "/batch-predictions/" + id);
    }

    @GET
    @Path("{id}/result")
    @Produces({"text/csv", "application/x-ndjson", MediaType.TEXT_HTML})
    public Response result(@PathParam("id") String id) {
        session.tenantPage("batch");
        return downloads.download(id);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
