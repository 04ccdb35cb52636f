package io.modelyard.optimization;

import static io.modelyard.optimization.ModelRework.round;

import io.modelyard.job.JobExecution;
import io.modelyard.job.JobHandler;
import io.modelyard.job.JobResult;
import io.modelyard.model.ModelView;
import io.modelyard.model.NewModel;
import io.modelyard.storage.BlobInfo;
import io.modelyard.training.JobTraining;
import io.modelyard.training.TrainingRuns;
import io.modelyard.training.engine.Initialization;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingOutcome;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final ModelRework rework;

    DistillationJobHandler(TrainingRuns runs, SourceModels sources, ModelRework rework) {
        this.runs = runs;
        this.sources = sources;
        this.rework = rework;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        DistillationJobPayload p = execution.payload(DistillationJobPayload.class);
        Optional<Map<String, Object>> earlier = rework.earlierResult(jobId, "distillation");
        if (earlier.isPresent()) {
            return JobResult.of(earlier.get());
        }
        TrainingData data = runs.load(p.datasetVersionId(), p.task());
        byte[] teacherArtifact = sources.artifact(p.teacherModelId(), "teacher model");
        JobTraining run = runs.jobTraining(execution);
        Measurement teacher = rework.measure(teacherArtifact, data);
        execution.events().info("Teacher: test macro F1 " + teacher.macroF1() + ", " + teacher.sizeBytes()
                + " bytes, " + teacher.latencyMs() + " ms per prediction.");
        TrainingSpec spec = new TrainingSpec(p.task(), p.studentArchitecture(), p.studentSize(),
                p.studentHyperparameters());
        Initialization init = Initialization.NONE.withTeacher(new Initialization.Teacher(teacherArtifact,
                p.temperature(), p.alpha()));
        TrainingOutcome outcome = rework.train(spec, data, init, run);
        Measurement student = rework.measure(outcome.artifact(), data);
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
        BlobInfo artifact = rework.storeModel(jobId, outcome.artifact());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("epochs_run", outcome.epochsRun());
        summary.put("best_epoch", outcome.bestEpoch());
        summary.put("early_stopped", outcome.earlyStopped());
        summary.put("samples_processed", outcome.samplesProcessed());
        summary.put("device", outcome.device());
        summary.put("compute_seconds", seconds);
        summary.put("history", outcome.history());
        summary.put("distillation", report);
        ModelView model = runs.registerAndBill(jobId, new NewModel(p.modelName(), p.task(),
                p.studentArchitecture(), p.datasetVersionId(), jobId, p.studentHyperparameters(),
                outcome.evaluation(), summary, TrainingRuns.dataSummary(data), data.labelClasses(), artifact,
                Map.of(), p.createdBy()), seconds, outcome.device(), Map.of("job_type", TYPE,
                        "architecture", p.studentArchitecture().wireName()));
        run.deleteCheckpoints();
        execution.events().info("Registered student " + model.id() + " (" + model.name() + " v" + model.version()
                + "): test macro F1 " + student.macroF1() + " against the teacher's " + teacher.macroF1() + ".");
        Map<String, Object> result = ModelRework.withModel(new LinkedHashMap<>(report), model);
        result.put("compute_seconds", seconds);
        return JobResult.of(result);
    }
}
