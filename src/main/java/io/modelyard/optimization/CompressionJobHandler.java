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
import io.modelyard.training.engine.SizePreset;
import io.modelyard.training.engine.TrainingData;
import io.modelyard.training.engine.TrainingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code compress} jobs: measures the source model, prunes it by magnitude and fine-tunes it with the zeros
 * held (a training run with its checkpoints, resumed after a lost worker), quantizes the weights, measures the
 * result the same way, and registers it only if its test macro F1 dropped by no more than the tolerance. The
 * compute is billed once either way.
 */
@ApplicationScoped
public class CompressionJobHandler implements JobHandler {

    public static final String TYPE = "compress";

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final Engines engines;
    private final ModelRework rework;

    CompressionJobHandler(TrainingRuns runs, SourceModels sources, Engines engines, ModelRework rework) {
        this.runs = runs;
        this.sources = sources;
        this.engines = engines;
        this.rework = rework;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        String jobId = execution.jobId();
        CompressionJobPayload p = execution.payload(CompressionJobPayload.class);
        Optional<Map<String, Object>> earlier = rework.earlierResult(jobId, "compression");
        if (earlier.isPresent()) {
            earlier.get().put("registered", true);
            return JobResult.of(earlier.get());
        }
        TrainingData data = runs.load(p.datasetVersionId(), p.task());
        byte[] source = sources.artifact(p.sourceModelId(), "model");
        JobTraining run = runs.jobTraining(execution);
        Measurement before = rework.measure(source, data);
        execution.events().info("Source model: test macro F1 " + before.macroF1() + ", " + before.sizeBytes()
                + " bytes, " + before.latencyMs() + " ms per prediction.");
        byte[] compressed = source;
        if (p.sparsity() != null) {
            compressed = prune(execution, p, data, source, run);
        }
        if (p.quantization() != null) {
            compressed = engines.compressor().quantize(compressed, p.quantization());
        }
        execution.throwIfStopRequested();
        Measurement after = rework.measure(compressed, data);
        double drop = before.macroF1() - after.macroF1();
        boolean passed = drop <= p.tolerance() + 1e-9;
        Map<String, Object> report = report(p, before, after, drop, passed);
        BigDecimal seconds = run.clock().total();
        String device = runs.trainer().device();
        Map<String, String> attributes = Map.of("job_type", TYPE);
        if (!passed) {
            runs.bill(jobId, seconds, device, attributes);
            run.deleteCheckpoints();
            execution.events().warning("Not registered: test macro F1 fell by " + round(drop) + ", more than the"
                    + " tolerance of " + p.tolerance() + ".");
            Map<String, Object> result = new LinkedHashMap<>(report);
            result.put("registered", false);
            result.put("compute_seconds", seconds);
            return JobResult.of(result);
        }
        BlobInfo artifact = rework.storeModel(jobId, compressed);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source_model_id", p.sourceModelId());
        summary.put("device", device);
        summary.put("compute_seconds", seconds);
        Map<String, Object> compression = new LinkedHashMap<>(report);
        summary.put("compression", compression);
        ModelView model = runs.registerAndBill(jobId, new NewModel(p.modelName(), p.task(),
                p.architecture(), p.datasetVersionId(), jobId, p.fineTune(), after.evaluation(), summary,
                TrainingRuns.dataSummary(data), data.labelClasses(), artifact, Map.of(), p.createdBy()), seconds,
                device, attributes);
        run.deleteCheckpoints();
        execution.events().info("Registered model " + model.id() + " (" + model.name() + " v" + model.version()
                + "): " + after.sizeBytes() + " bytes instead of " + before.sizeBytes() + ", test macro F1 "
                + after.macroF1() + ".");
        Map<String, Object> result = new LinkedHashMap<>(report);
        result.put("registered", true);
        ModelRework.withModel(result, model);
        result.put("compute_seconds", seconds);
        return JobResult.of(result);
    }

    private byte[] prune(JobExecution execution, CompressionJobPayload p, TrainingData data, byte[] source,
            JobTraining run) {
        TrainingSpec spec = new TrainingSpec(p.task(), p.architecture(), SizePreset.SMALL, p.fineTune());
        Initialization init = Initialization.fromModel(source, Initialization.Freeze.NONE).withPruning(p.sparsity());
        return rework.train(spec, data, init, run).artifact();
    }

    private static Map<String, Object> report(CompressionJobPayload p, Measurement before, Measurement after,
            double drop, boolean passed) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("source_model_id", p.sourceModelId());
        report.put("before", before);
        report.put("after", after);
        report.put("size_ratio", round((double) after.sizeBytes() / before.sizeBytes()));
        report.put("speedup", after.latencyMs() > 0 ? round(before.latencyMs() / after.latencyMs()) : null);
        report.put("guard", Map.of("metric", "macro_f1", "tolerance", p.tolerance(), "drop", round(drop),
                "passed", passed));
        return report;
    }
}
