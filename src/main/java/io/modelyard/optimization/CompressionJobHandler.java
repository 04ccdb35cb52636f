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
import io.modelyard.training.engine.SizePreset;
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
 * Runs {@code compress} jobs: measures the source model, prunes it by magnitude and fine-tunes it with the zeros
 * held (a training run with its checkpoints, resumed after a lost worker), quantizes the weights, measures the
 * result the same way, and registers it only if its test macro F1 dropped by no more than the tolerance. The
 * compute is billed once either way.
 */
@ApplicationScoped
public class CompressionJobHandler implements JobHandler {

    public static final String TYPE = "compress";
    private static final long MAX_ARTIFACT_BYTES = 4L * 1024 * 1024 * 1024;

    private final TrainingRuns runs;
    private final SourceModels sources;
    private final Engines engines;
    private final BlobStore blobs;
    private final TenantContext context;
    private final OptimizationConfig config;
    private final ObjectMapper json;

    CompressionJobHandler(TrainingRuns runs, SourceModels sources, Engines engines, BlobStore blobs,
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
        CompressionJobPayload p = execution.payload(CompressionJobPayload.class);
        Optional<ModelView> registered = runs.registeredBy(jobId);
        if (registered.isPresent()) {
            // An earlier run registered the model but its worker died before recording the job's success.
            ModelView model = registered.get();
            @SuppressWarnings("unchecked")
            Map<String, Object> result = new LinkedHashMap<>(json.convertValue(model.training().path("compression"),
                    Map.class));
            result.put("model_id", model.id());
            result.put("model_name", model.name());
            result.put("model_version", model.version());
            result.put("registered", true);
            return JobResult.of(result);
        }
        TrainingData data = runs.load(p.datasetVersionId(), p.task());
        byte[] source = sources.artifact(p.sourceModelId(), "model");
        JobTraining run = runs.jobTraining(execution);
        Measurement before = Measurement.of(source, data, engines.compressor(), engines.runtime(),
                config.latencySamples());
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
        Measurement after = Measurement.of(compressed, data, engines.compressor(), engines.runtime(),
                config.latencySamples());
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
        BlobInfo artifact = blobs.put("tenants/" + context.requireTenant() + "/jobs/" + jobId + "/model.zip",
                new ByteArrayInputStream(compressed), MAX_ARTIFACT_BYTES);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source_model_id", p.sourceModelId());
        summary.put("device", device);
        summary.put("compute_seconds", seconds);
        Map<String, Object> compression = new LinkedHashMap<>(report);
        summary.put("compression", compression);
        ModelView model = runs.registerAndBill(jobId, new NewModel(p.modelName(), p.task().wireName(),
                p.architecture().wireName(), p.datasetVersionId(), jobId, p.fineTune(), after.evaluation(), summary,
                TrainingRuns.dataSummary(data), data.labelClasses(), artifact, Map.of(), p.createdBy()), seconds,
                device, attributes);
        run.deleteCheckpoints();
        execution.events().info("Registered model " + model.id() + " (" + model.name() + " v" + model.version()
                + "): " + after.sizeBytes() + " bytes instead of " + before.sizeBytes() + ", test macro F1 "
                + after.macroF1() + ".");
        Map<String, Object> result = new LinkedHashMap<>(report);
        result.put("registered", true);
        result.put("model_id", model.id());
        result.put("model_name", model.name());
        result.put("model_version", model.version());
        result.put("compute_seconds", seconds);
        return JobResult.of(result);
    }

    private byte[] prune(JobExecution execution, CompressionJobPayload p, TrainingData data, byte[] source,
            JobTraining run) {
        TrainingSpec spec = new TrainingSpec(p.task(), p.architecture(), SizePreset.SMALL, p.fineTune());
        Initialization init = Initialization.fromModel(source, Initialization.Freeze.NONE).withPruning(p.sparsity());
        try {
            TrainingOutcome outcome = runs.trainer().train(spec, data, init, run.sink(), run.listener(),
                    run.stopSignal());
            return outcome.artifact();
        } catch (TrainingCancelledException | TrainingPreemptedException e) {
            throw run.stopped();
        } catch (InvalidTrainingSpecException e) {
            throw new JobFailedException("invalid_hyperparameters", e.getMessage());
        } catch (TrainingDataException e) {
            throw new JobFailedException("invalid_training_data", e.getMessage());
        } catch (TrainingDivergedException e) {
            throw new JobFailedException("training_diverged", e.getMessage());
        }
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

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
