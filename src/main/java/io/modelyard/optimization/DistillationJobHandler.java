package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.job.JobExecution;
import io.modelyard.job.JobFailedException;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.TenantContext;
import io.modelyard.training.JobTraining;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.InvalidTrainingSpecException;
import io.modelyard.training.engine.TrainingCancelledException;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingDataException;
import io.modelyard.training.engine.TrainingDivergedException;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingPreemptedException;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code distill} jobs: measures the teacher, trains the student on the teacher's softened probabilities
 * mixed with the true labels (a training run with its checkpoints, resumed after a lost worker), measures the
 * student the same way, registers it with the comparison, and bills the compute once.
 */
@ApplicationScoped
public class DistillationJobHandler implements JobHandler {

    public static final String TYPE = "distill";
    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final Engines engines;
    private final BlobStore blobs;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final ObjectMapper json;

    DistillationJobHandler(TrainingRuns runs, SourceModels sources, Engines engines, BlobStore blobs,
            TenantContext context, OptimizationConfig config, ObjectMapper json) {
        this.json = json;
        this.runs = runs;
        this.sources = sources;
        this.engines = engines;
        this.blobs = blobs;
        this.context = context;
        this.config = config;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        DistillationJobPayload p = execution.payload(DistillationJobPayload.class);
        Optional<ModelView> registered = runs.registeredBy(jobId);
        if (registered.isPresent()) {
            // An earlier run registered the model but its worker died before recording the job's success.
            ModelView model = registered.get();
            @SuppressWarnings("unchecked")
            Map<String, Object> result = new LinkedHashMap<>(json.convertValue(model.training().path("distillation"),
                    Map.class));
            result.put("model_id", model.id());
            result.put("model_name", model.name());
            result.put("model_version", model.version());
            return JobResult.of(result);
        }
        TrainingData data = runs.load(p.datasetVersionId(), p.task());
        byte[] teacherArtifact = sources.artifact(p.teacherModelId(), "teacher model");
        JobTraining run = runs.jobTraining(execution);
        Measurement teacher = Measurement.of(teacherArtifact, data, engines.compressor(), engines.runtime(),
                config.latencySamples());
        execution.events().info("Teacher: test macro F1 " + teacher.macroF1() + ", " + teacher.sizeBytes()
                + " bytes, " + teacher.latencyMs() + " ms per prediction.");
        TrainingSpec spec = new TrainingSpec(p.task(), p.studentArchitecture(), p.studentSize(),
                p.studentHyperparameters());
        Initialization init = Initialization.NONE.withTeacher(new Initialization.Teacher(teacherArtifact,
                p.temperature(), p.alpha()));
        TrainingOutcome outcome;
        try {
            outcome = runs.trainer().train(spec, data, init, run.sink(), run.listener(), run.stopSignal());
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            throw run.stopped();
        } catch (InvalidTrainingSpecException e) {
            throw new JobFailedException("invalid_hyperparameters", e.getMessage());
        } catch (TrainingDataException e) {
            throw new JobFailedException("invalid_training_data", e.getMessage());
        } catch (TrainingDivergedException e) {
            throw new JobFailedException("training_diverged", e.getMessage());
        }
        Measurement student = Measurement.of(outcome.artifact(), data, engines.compressor(), engines.runtime(),
                config.latencySamples());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("teacher_model_id", p.teacherModelId());
        report.put("temperature", p.temperature());
        report.put("alpha", p.alpha());
        report.put("teacher", teacher);
        report.put("student", student);
        report.put("f1_ratio", teacher.macroF1() > 0 ? round(student.macroF1() / teacher.macroF1()) : null);
        report.put("speedup", student.latencyMs() > 0 ? round(teacher.latencyMs() / student.latencyMs()) : null);
        report.put("size_ratio", round((double) student.sizeBytes() / teacher.sizeBytes()));
        BigDecimal seconds = run.clock().total();
        BlobInfo artifact = blobs.put("tenants/" + context.requireTenant() + "/jobs/" + jobId + "/model.zip",
                new ByteArrayInputStream(outcome.artifact()), MAX_ARTIFACT_BYTES);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs_run", outcome.epochsRun());
        summary.put("best_epoch", outcome.bestEpoch());
        summary.put("early_stopped", outcome.earlyStopped());
        summary.put("samples_processed", outcome.samplesProcessed());
        summary.put("device", outcome.device());
        summary.put("compute_seconds", seconds);
        summary.put("history", outcome.history());
        summary.put("distillation", report);
        ModelView model = runs.registerAndBill(jobId, new NewModel(p.modelName(), p.task().wireName(),
                p.studentArchitecture().wireName(), p.datasetVersionId(), jobId, p.studentHyperparameters(),
                outcome.evaluation(), summary, TrainingRuns.dataSummary(data), data.labelClasses(), artifact,
                Map.of(), p.createdBy()), seconds, outcome.device(), Map.of("job_type", TYPE,
                        "architecture", p.studentArchitecture().wireName()));
        run.deleteCheckpoints();
        execution.events().info("Registered student " + model.id() + " (" + model.name() + " v" + model.version()
                + "): test macro F1 " + student.macroF1() + " against the teacher's " + teacher.macroF1() + ".");
        Map<String, Object> result = new LinkedHashMap<>(report);
        result.put("model_id", model.id());
        result.put("model_name", model.name());
        result.put("model_version", model.version());
        result.put("compute_seconds", seconds);
        return JobResult.of(result);
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
