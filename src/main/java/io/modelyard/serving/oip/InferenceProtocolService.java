package io.modelyard.serving.oip;

import io.modelyard.common.DeploymentRole;
import io.modelyard.common.PlatformConfig;
import io.modelyard.common.ProblemException;
import io.modelyard.model.ServableModel;
import io.modelyard.serving.InferenceResult;
import io.modelyard.serving.InputRejectedException;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.PredictionMetering;
import io.modelyard.serving.PredictionService;
import io.modelyard.serving.ServingConfig;
import io.modelyard.serving.internal.InternalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Open Inference Protocol over the same models, permissions, limits and metering as {@code /v1}: a model's
 * {@code name} in the protocol's URLs is its id or one of its aliases, its version the registry's version
 * number.
 */
@ApplicationScoped
public class InferenceProtocolService {

    private final PredictionService predictions;
    private final PlatformConfig platform;
    private final ServingConfig config;
    private final InternalConfig internal;
    private final TensorCodec codec;

    InferenceProtocolService(PredictionService predictions, PlatformConfig platform, ServingConfig config,
            InternalConfig internal) {
        this.predictions = predictions;
        this.platform = platform;
        this.config = config;
        this.internal = internal;
        this.codec = new TensorCodec(config.maxInputs());
    }

    OipMessages.InferResponse infer(String name, String version, OipMessages.InferRequest request, Duration wait) {
        if (request == null) {
            throw TensorCodec.malformed("inputs", "an inference request needs a body with input tensors");
        }
        return predictions.withCurrentModel(name, model -> infer(name, version, model, request, wait));
    }

    private OipMessages.InferResponse infer(String name, String version, ServableModel model,
            OipMessages.InferRequest request, Duration wait) {
        requireVersion(name, version, model);
        ModelSignature signature = model.task().isText() || model.task().isImage() ? null
                : predictions.signature(model, wait);
        TensorCodec.Decoded decoded = codec.decode(model, signature, request.inputs());
        predictions.checkLimits(decoded.inputs(), decoded.rowTensor(), row -> decoded.fieldOf(row, null));
        // Unknown output names fail before anything runs or is metered.
        codec.encode(model, java.util.List.of(), request.outputs());
        String predictionId = PredictionMetering.newPredictionId();
        InferenceResult result;
        try {
            result = predictions.infer(name, model, decoded.inputs(), false, predictionId, "oip", wait);
        } catch (InputRejectedException e) {
            throw TensorCodec.invalidInput(e, decoded);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("model_id", model.id());
        parameters.put("prediction_id", predictionId);
        return new OipMessages.InferResponse(name, Integer.toString(model.version()), request.id(), parameters,
                codec.encode(model, result.predictions(), request.outputs()));
    }

    OipMessages.ModelMetadata metadata(String name, String version, Duration wait) {
        ServableModel model = resolve(name, version);
        return TensorCodec.metadata(name, model, predictions.signature(model, wait));
    }

    /** Answers normally when the model is loaded; starts loading it and answers 503 with Retry-After if not. */
    void requireModelReady(String name, String version) {
        ServableModel model = resolve(name, version);
        if (!predictions.ready(model)) {
            long seconds = Math.max(1, (config.loadingRetryAfter().toMillis() + 999) / 1000);
            throw new ProblemException(503, "model-loading", "Model loading",
                    "Model " + model.id() + " is being loaded; it is ready shortly.")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
    }

    /** This process can take inference requests: it predicts itself, or knows where its workers are. */
    boolean serverReady() {
        if (platform.role() != DeploymentRole.API) {
            return true;
        }
        return config.workerUrl().isPresent() && internal.token().filter(t -> !t.isBlank()).isPresent();
    }

    private ServableModel resolve(String name, String version) {
        ServableModel model = predictions.resolve(name);
        requireVersion(name, version, model);
        return model;
    }

    private static void requireVersion(String name, String version, ServableModel model) {
        if (version != null && !version.equals(Integer.toString(model.version()))) {
            throw new ProblemException(404, "not-found", "Not found", "Model '" + name + "' is version "
                    + model.version() + ", not '" + version + "'.");
        }
    }
}
