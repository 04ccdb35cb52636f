package io.modelyard.portal.training;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.dataset.DatasetService;
import io.modelyard.dataset.DatasetView;
import io.modelyard.job.JobService;
import io.modelyard.model.spec.Architecture;
import io.modelyard.portal.Chrome;
import io.modelyard.portal.FormValidation;
import io.modelyard.portal.Htmx;
import io.modelyard.portal.PortalConfig;
import io.modelyard.portal.PortalSession;
import io.modelyard.training.TrainingJobRequests.CreateTrainingJob;
import io.modelyard.training.TrainingJobService;
import io.modelyard.training.TrainingJobView;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/** Training: the jobs list, the create form with its dry-run estimate, and a job followed live. */
@Path("/portal/t/{tenant}/training-jobs")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class TrainingPages {

    @CheckedTemplate(basePath = "portal/training")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, Page<TrainingJobView> jobs, String after);

        static native TemplateInstance create(Chrome chrome, List<DatasetView> datasets, String selected,
                boolean selectedOther, List<String> architectures);

        static native TemplateInstance estimate(EstimateView estimate);

        static native TemplateInstance job(Chrome chrome, JobProgress job);
    }

    private static final int DATASET_CHOICES = 100;

    private final PortalSession session;
    private final TrainingJobService training;
    private final DatasetService datasets;
    private final JobService jobs;
    private final FormValidation validation;
    private final ObjectMapper json;
    private final PortalConfig config;

    TrainingPages(PortalSession session, TrainingJobService training, DatasetService datasets, JobService jobs,
            FormValidation validation, ObjectMapper json, PortalConfig config) {
        this.session = session;
        this.training = training;
        this.datasets = datasets;
        this.jobs = jobs;
        this.validation = validation;
        this.json = json;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("after") String after) {
        Chrome chrome = session.tenantPage("training");
        return Templates.list(chrome, training.list(new PageRequest(config.pageSize(), after), null, null), after);
    }

    @GET
    @Path("new")
    public TemplateInstance create(@QueryParam("dataset_version") String datasetVersion) {
        Chrome chrome = session.tenantPage("training");
        List<DatasetView> choices = datasets.list(new PageRequest(DATASET_CHOICES, null), null).data().stream()
                .filter(d -> d.latestVersion() != null).toList();
        List<String> architectures = Arrays.stream(Architecture.values()).map(Architecture::wireName).toList();
        boolean other = datasetVersion != null
                && choices.stream().noneMatch(d -> d.latestVersion().id().equals(datasetVersion));
        return Templates.create(chrome, choices, datasetVersion, other, architectures);
    }

    /** The dry run of the form as it stands: compute seconds and price, nothing started. */
    @POST
    @Path("estimate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance estimate(MultivaluedMap<String, String> form) throws JsonMappingException {
        session.tenantPage("training");
        CreateTrainingJob request = TrainingForm.read(form, true, json);
        return Templates.estimate(EstimateView.of(training.create(validation.valid(request), null).estimate()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(MultivaluedMap<String, String> form, @Context HttpHeaders headers)
            throws JsonMappingException {
        Chrome chrome = session.tenantPage("training");
        CreateTrainingJob request = TrainingForm.read(form, false, json);
        TrainingJobView job = training.create(validation.valid(request), null).job();
        return Htmx.redirect(headers, chrome.base() + "/training-jobs/" + job.id());
    }

    @GET
    @Path("{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        Chrome chrome = session.tenantPage("training");
        TrainingJobView job = training.get(id);
        return Templates.job(chrome, JobProgress.of(job, jobs, chrome.base()));
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("training");
        training.cancel(id);
        return Htmx.redirect(headers, chrome.base() + "/training-jobs/" + id);
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("training");
        training.pause(id);
        return Htmx.redirect(headers, chrome.base() + "/training-jobs/" + id);
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id, @Context HttpHeaders headers) {
        Chrome chrome = session.tenantPage("training");
        training.resume(id);
        return Htmx.redirect(headers, chrome.base() + "/training-jobs/" + id);
    }
}
