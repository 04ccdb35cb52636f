package io.modelyard.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.modelyard.common.ProblemException;
import io.modelyard.model.ModelRegistry;
import io.modelyard.model.ServableModel;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.engine.PredictionInput;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Online predictions, whichever protocol asks: resolves the model for the current tenant (unknown, deleted and
 * foreign models are 404), checks the request against the configured limits and the model's task, runs it
 * through the {@link InferenceBackend} of this role, metered by {@link PredictionMetering}.
 */
@ApplicationScoped
public class PredictionService {

    private final ModelRegistry registry;
    private final TenantContext context;
    private final PredictionMetering metering;
    private final InferenceBackend backend;
    private final ServingConfig config;
    private final ServableModels servables;
    private final PredictionMetrics metrics;
    private final PredictionLimits limits;
    private final Cache<String, ModelSignature> signatures = Caffeine.newBuilder().maximumSize(10_000).build();

    PredictionService(ModelRegistry registry, TenantContext context, PredictionMetering metering,
            InferenceBackend backend, ServingConfig config, ServableModels servables, PredictionMetrics metrics,
            PredictionLimits limits) {
        this.metrics = metrics;
        this.limits = limits;
        this.registry = registry;
        this.context = context;
        this.metering = metering;
        this.backend = backend;
        this.config = config;
        this.servables = servables;
    }

    /** {@code POST /v1/models/{id_or_alias}/predict}. */
    public PredictionList predict(String idOrAlias, PredictRequest request, Duration wait) {
        return withCurrentModel(idOrAlias, model -> predict(idOrAlias, model, request, wait));
    }

    private PredictionList predict(String idOrAlias, ServableModel model, PredictRequest request, Duration wait) {
        checkOptions(model, request.topK(), Boolean.TRUE.equals(request.explain()));
        List<PredictionInput> inputs = inputsOf(model, model.task(), request.inputs());
        return predict(idOrAlias, model, inputs, request.topK(), Boolean.TRUE.equals(request.explain()), "inputs",
                row -> "inputs[" + row + "]", wait);
    }

    /** {@code POST /v1/models/{id_or_alias}/predict} with image files ({@code multipart/form-data}). */
    public PredictionList predictImages(String idOrAlias, ImageParts.ImageRequest request, Duration wait) {
        return withCurrentModel(idOrAlias, model -> {
            if (!model.task().isImage()) {
                throw taskMismatch(model, "Image parts are for image models; model " + model.id() + " is a "
                        + model.task().wireName() + " model: send its inputs as JSON.");
            }
            boolean explain = Boolean.TRUE.equals(request.explain());
            checkOptions(model, request.topK(), explain);
            List<PredictionInput> inputs = request.images().stream().map(PredictionInput::image).toList();
            return predict(idOrAlias, model, inputs, request.topK(), explain, "image", row -> "image[" + row + "]",
                    wait);
        });
    }

    private static void checkOptions(ServableModel model, Integer topK, boolean explain) {
        TaskType task = model.task();
        if (topK != null) {
            if (topK < 1) {
                throw ProblemException.invalidField("top_k", "must be at least 1");
            }
            if (!task.isClassification()) {
                throw taskMismatch(model, "top_k is for classification models; model " + model.id() + " is a "
                        + model.task().wireName() + " model.");
            }
        }
        if (explain && !task.isText() && !task.isImage()) {
            throw taskMismatch(model, "explain is for text and image models; model " + model.id() + " is a "
                    + model.task().wireName() + " model.");
        }
    }

    private PredictionList predict(String idOrAlias, ServableModel model, List<PredictionInput> inputs, Integer topK,
            boolean explain, String inputsField, IntFunction<String> fieldOfRow, Duration wait) {
        checkLimits(inputs, inputsField, fieldOfRow);
        String id = PredictionMetering.newPredictionId();
        InferenceResult result;
        try {
            result = infer(idOrAlias, model, inputs, explain, id, "v1", wait);
        } catch (InputRejectedException e) {
            throw invalidInput(e);
        }
        List<PredictionList.Item> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            items.add(PredictionList.item(i, result.predictions().get(i), topK,
                    result.explanations() == null ? null : result.explanations().get(i)));
        }
        return new PredictionList(id, "prediction_list", model.id(), model.name(), model.version(), model.task(),
                items, new PredictionList.Usage(result.modelPasses()));
    }

    /** The model by id or alias, if the caller may predict with it; else 401, 403 or 404. Always asks the registry. */
    public ServableModel resolve(String idOrAlias) {
        return registry.servable(idOrAlias);
    }

    /**
     * Runs {@code prediction} with the model {@code idOrAlias} names, resolved from this process's memory when
     * known ({@link ServableModels}: alias moves and deletions evict it at once).
     */
    public <T> T withCurrentModel(String idOrAlias, Function<ServableModel, T> prediction) {
        return prediction.apply(servables.resolve(context.require(Permission.PREDICT), idOrAlias));
    }

    /**
     * Runs the inputs through the model, metered; the model must come from {@link #withCurrentModel} and the
     * inputs must have passed {@link #checkLimits}.
     */
    public InferenceResult infer(String idOrAlias, ServableModel model, List<PredictionInput> inputs,
            boolean explain, String predictionId, String protocol, Duration wait) {
        ModelRef ref = ModelRef.of(model, context.requireTenant());
        return metrics.timed(model.id(), protocol, () -> metering.metered(model, predictionId, protocol,
                () -> backend.infer(ref, inputs, explain, config.explainTokens(), wait)));
    }

    /** What the model reads and answers (loads it when not known yet). */
    public ModelSignature signature(ServableModel model, Duration wait) {
        ModelRef ref = ModelRef.of(model, context.requireTenant());
        ModelSignature known = signatures.getIfPresent(ref.cacheKey());
        if (known != null) {
            return known;
        }
        ModelSignature signature = backend.describe(ref, wait);
        signatures.put(ref.cacheKey(), signature);
        return signature;
    }

    /** Whether the model is loaded; starts loading it when it is not. */
    public boolean ready(ServableModel model) {
        return backend.ready(ModelRef.of(model, context.requireTenant()));
    }

    /**
     * How long to wait for a model that is still loading: the configured {@code load-wait}, or less when the
     * client asks with {@code Prefer: wait=<seconds>} (RFC 7240).
     */
    public Duration loadWait(List<String> prefer) {
        Duration wait = config.loadWait();
        if (prefer == null) {
            return wait;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String[] kv = preference.trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("wait")) {
                    try {
                        Duration asked = Duration.ofSeconds(Long.parseLong(kv[1].trim().replace("\"", "")));
                        if (!asked.isNegative() && asked.compareTo(wait) < 0) {
                            wait = asked;
                        }
                    } catch (NumberFormatException e) {
                        // RFC 7240: a preference that cannot be understood is ignored.
                    }
                }
            }
        }
        return wait;
    }

    /**
     * The limits of one request from a client: the configured ones ({@link PredictionLimits#check}), then the
     * plan's bound on image pixels ({@link PredictionLimits#checkImagePixels}); before anything runs or is metered.
     */
    public void checkLimits(List<PredictionInput> inputs, String inputsField, IntFunction<String> fieldOfRow) {
        limits.check(inputs, fieldOfRow);
        limits.checkImagePixels(inputs, inputsField, fieldOfRow);
    }

    /** 400 {@code task-mismatch}: the request asks the model for something its task does not do. */
    public static ProblemException taskMismatch(ServableModel model, String detail) {
        return new ProblemException(400, "task-mismatch", "Input does not fit the model", detail)
                .with("task", model.task().wireName());
    }

    private static List<PredictionInput> inputsOf(ServableModel model, TaskType task, List<JsonNode> nodes) {
        if (nodes == null) {
            throw ProblemException.invalidField("inputs", "is required");
        }
        List<PredictionInput> inputs = new ArrayList<>(nodes.size());
        for (int row = 0; row < nodes.size(); row++) {
            JsonNode node = nodes.get(row);
            if (task.isImage()) {
                inputs.add(PredictionInput.image(image(model, node, row)));
            } else if (task.isText()) {
                if (node == null || !node.isTextual()) {
                    throw taskMismatch(model, "inputs[" + row + "] must be a text: model " + model.id() + " is a "
                            + model.task().wireName() + " model.").with("row", row);
                }
                inputs.add(PredictionInput.text(node.textValue()));
            } else {
                if (node == null || !node.isObject()) {
                    throw taskMismatch(model, "inputs[" + row + "] must be an object of feature name to value: "
                            + "model " + model.id() + " is a " + model.task().wireName() + " model.").with("row", row);
                }
                inputs.add(PredictionInput.features(features(node, row)));
            }
        }
        return inputs;
    }

    /**
     * An image input: {@code {"image": "<base64>"}} (standard or URL-safe alphabet, an optional
     * {@code data:image/...;base64,} prefix). A URL is refused: the platform never fetches on a caller's behalf.
     */
    public static byte[] image(ServableModel model, JsonNode node, int row) {
        String field = "inputs[" + row + "].image";
        JsonNode value = node == null ? null : node.get("image");
        if (node != null && (node.has("url") || node.has("image_url")
                || value != null && value.isTextual() && value.textValue().matches("(?i)^\\s*(https?|ftp|file):.*"))) {
            throw ProblemException.invalid(field + ": remote images are not fetched; send the file's bytes as base64",
                    List.of(new ProblemException.FieldError(field, "send the image's bytes as base64, not a URL")))
                    .with("row", row);
        }
        if (value == null || !value.isTextual()) {
            throw taskMismatch(model, "inputs[" + row + "] must be an object {\"image\": \"<base64>\"}: model "
                    + model.id() + " is a " + model.task().wireName() + " model.").with("row", row);
        }
        String encoded = value.textValue().strip();
        int comma = encoded.startsWith("data:") ? encoded.indexOf(',') : -1;
        if (comma >= 0) {
            encoded = encoded.substring(comma + 1);
        }
        try {
            return encoded.indexOf('-') >= 0 || encoded.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(field + ": not base64", List.of(new ProblemException.FieldError(field,
                    "must be the image's bytes in base64"))).with("row", row);
        }
    }

    private static Map<String, Object> features(JsonNode node, int row) {
        Map<String, Object> features = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode value = field.getValue();
            Object plain;
            if (value.isTextual()) {
                plain = value.textValue();
            } else if (value.isNumber()) {
                plain = value.numberValue();
            } else if (value.isBoolean()) {
                plain = value.booleanValue();
            } else if (value.isNull()) {
                plain = null;
            } else {
                String name = "inputs[" + row + "]." + field.getKey();
                throw ProblemException.invalid(name + ": must be a string, number, boolean or null",
                        List.of(new ProblemException.FieldError(name, "must be a string, number, boolean or null")))
                        .with("row", row);
            }
            features.put(field.getKey(), plain);
        }
        return features;
    }

    /** The engine's complaint about one input, named the way this API names inputs. */
    private static ProblemException invalidInput(InputRejectedException e) {
        String field = "inputs[" + e.row() + "]" + (e.feature() != null ? "." + e.feature() : "");
        return ProblemException.invalid(field + ": " + e.detail(),
                List.of(new ProblemException.FieldError(field, e.detail()))).with("row", e.row());
    }
}
