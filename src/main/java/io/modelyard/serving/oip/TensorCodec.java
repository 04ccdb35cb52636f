package io.modelyard.serving.oip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.modelyard.common.ProblemException;
import io.modelyard.model.ServableModel;
import io.modelyard.model.spec.FeatureColumn;
import io.modelyard.model.spec.FeatureKind;
import io.modelyard.model.spec.TaskType;
import io.modelyard.serving.InputRejectedException;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.PredictionService;
import io.modelyard.serving.engine.Prediction;
import io.modelyard.serving.engine.PredictionInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Tensors to prediction inputs and predictions to tensors, the way the protocol lays them out.
 *
 * <p>Inputs. A text model takes one {@code BYTES} tensor of shape {@code [n]} or {@code [n, 1]} (its name is
 * not checked; the metadata calls it {@code text}). A tabular model takes either one numeric tensor
 * {@code features} of shape {@code [n, n_features]} with the columns in the model's order (a categorical column
 * given as a number matches the category spelled as that number, {@code 2.0} as {@code "2"}), or one tensor per
 * column, named after it, of shape {@code [n]} or {@code [n, 1]}: numeric ({@code FP32}, {@code FP64},
 * {@code INT*}, {@code UINT*}) for numeric columns, {@code BYTES}, {@code BOOL} or numeric for categorical ones. A
 * column left out is treated like a missing value. An image model takes one {@code BYTES} tensor {@code image} of
 * shape {@code [n]} or {@code [n, 1]} whose elements are the encoded files in base64. Data may be flat or nested,
 * row-major, as the protocol allows.
 *
 * <p>Outputs. Classification: {@code label} ({@code BYTES}, {@code [n]}) and {@code probabilities}
 * ({@code FP32}, {@code [n, n_classes]}, classes in the metadata's label order). Regression: {@code value}
 * ({@code FP64}, {@code [n]}).
 */
final class TensorCodec {

    static final String TEXT = "text";
    static final String IMAGE = "image";
    static final String FEATURES = "features";
    static final String LABEL = "label";
    static final String PROBABILITIES = "probabilities";
    static final String VALUE = "value";

    private static final Set<String> NUMERIC = Set.of("UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "FP32", "FP64");
    private static final Set<String> KNOWN = Set.of("BOOL", "BYTES", "UINT8", "UINT16", "UINT32", "UINT64", "INT8",
            "INT16", "INT32", "INT64", "FP16", "FP32", "FP64");

    /** Decoded inputs, and how to name row {@code r} of the tensor that carried a feature. */
    record Decoded(List<PredictionInput> inputs, Map<String, String> tensorOfFeature, String rowTensor) {

        String fieldOf(int row, String feature) {
            String tensor = feature != null && tensorOfFeature.containsKey(feature) ? tensorOfFeature.get(feature)
                    : rowTensor;
            return tensor + "[" + row + "]";
        }
    }

    private final int maxInputs;

    TensorCodec(int maxInputs) {
        this.maxInputs = maxInputs;
    }

    Decoded decode(ServableModel model, ModelSignature signature, List<OipMessages.RequestInput> tensors) {
        if (tensors == null || tensors.isEmpty()) {
            throw malformed("inputs", "an inference request needs at least one input tensor");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensors.size(); i++) {
            OipMessages.RequestInput tensor = tensors.get(i);
            if (tensor == null || tensor.name() == null || tensor.name().isEmpty()) {
                throw malformed("inputs[" + i + "].name", "every input tensor needs a name");
            }
            if (!names.add(tensor.name())) {
                throw malformed(tensor.name(), "input '" + tensor.name() + "' is given twice");
            }
            if (tensor.datatype() == null || !KNOWN.contains(tensor.datatype())) {
                throw malformed(tensor.name(), "datatype must be one of the protocol's tensor data types "
                        + "(BYTES, FP32, ...), got " + (tensor.datatype() == null ? "none" : "'" + tensor.datatype() + "'"));
            }
            if (tensor.shape() == null || tensor.shape().isEmpty()
                    || tensor.shape().stream().anyMatch(d -> d == null || d < 0)) {
                throw malformed(tensor.name(), "shape must be a non-empty list of non-negative integers, the first "
                        + "being the batch size; got " + tensor.shape());
            }
            if (tensor.parameters() != null && tensor.parameters().containsKey("binary_data_size")) {
                throw malformed(tensor.name(), "the binary tensor data extension is not supported: send the data "
                        + "as JSON");
            }
        }
        TaskType task = model.task();
        if (task.isImage()) {
            return decodeImages(model, tensors);
        }
        return task.isText() ? decodeText(model, tensors) : decodeTabular(model, signature, tensors);
    }

    private Decoded decodeImages(ServableModel model, List<OipMessages.RequestInput> tensors) {
        return decodeStrings(model, tensors, IMAGE, "base64 images", (value, row) -> PredictionInput.image(
                PredictionService.image(model, JsonNodeFactory.instance.objectNode().put("image", value), row)));
    }

    private Decoded decodeText(ServableModel model, List<OipMessages.RequestInput> tensors) {
        return decodeStrings(model, tensors, TEXT, "texts", (value, row) -> PredictionInput.text(value));
    }

    /** The one BYTES tensor of a text or image model, of shape [n] or [n, 1], an input per string. */
    private Decoded decodeStrings(ServableModel model, List<OipMessages.RequestInput> tensors, String input,
            String what, BiFunction<String, Integer, PredictionInput> toInput) {
        String kind = input.equals(IMAGE) ? "an image" : "a text";
        if (tensors.size() != 1) {
            throw malformed("inputs", kind + " model takes one BYTES input tensor ('" + input + "'), got "
                    + tensors.size());
        }
        OipMessages.RequestInput tensor = tensors.get(0);
        if (!tensor.datatype().equals("BYTES")) {
            throw PredictionService.taskMismatch(model, "Model " + model.id() + " is a " + model.task().wireName()
                    + " model: its input '" + input + "' is BYTES (" + what + "), not " + tensor.datatype() + ".");
        }
        if (tensor.shape() == null || tensor.shape().isEmpty() || tensor.shape().size() > 2
                || (tensor.shape().size() == 2 && tensor.shape().get(1) != 1)) {
            throw malformed(tensor.name(), kind + " tensor has shape [n] or [n, 1], got " + tensor.shape());
        }
        int n = rows(tensor);
        List<JsonNode> values = flatten(tensor, n);
        List<PredictionInput> inputs = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            JsonNode value = values.get(r);
            if (!value.isTextual()) {
                throw malformed(tensor.name() + "[" + r + "]", "BYTES elements must be JSON strings");
            }
            inputs.add(toInput.apply(value.textValue(), r));
        }
        return new Decoded(inputs, Map.of(), tensor.name());
    }

    private Decoded decodeTabular(ServableModel model, ModelSignature signature,
            List<OipMessages.RequestInput> tensors) {
        Map<String, FeatureColumn> columns = new LinkedHashMap<>();
        signature.features().forEach(c -> columns.put(c.name(), c));
        if (tensors.size() == 1 && !columns.containsKey(tensors.get(0).name())) {
            return decodeMatrix(model, signature, tensors.get(0));
        }
        int n = -1;
        List<Map<String, Object>> rows = null;
        Map<String, String> tensorOfFeature = new HashMap<>();
        for (OipMessages.RequestInput tensor : tensors) {
            FeatureColumn column = columns.get(tensor.name());
            if (column == null) {
                if (tensor.datatype().equals("BYTES") && tensors.size() == 1) {
                    throw PredictionService.taskMismatch(model, "Model " + model.id() + " is a "
                            + model.task().wireName() + " model: send its features, not texts.");
                }
                throw malformed(tensor.name(), "unknown input '" + tensor.name() + "'; the model reads "
                        + columns.keySet() + " (one tensor each), or '" + FEATURES + "' [n, " + columns.size() + "]");
            }
            if (tensor.shape() == null || tensor.shape().isEmpty() || tensor.shape().size() > 2
                    || (tensor.shape().size() == 2 && tensor.shape().get(1) != 1)) {
                throw malformed(tensor.name(), "a column tensor has shape [n] or [n, 1], got " + tensor.shape());
            }
            boolean numericColumn = column.kind() == FeatureKind.NUMERIC;
            if (numericColumn && tensor.datatype().equals("BOOL")) {
                throw malformed(tensor.name(), "numeric column '" + column.name() + "' takes a numeric datatype "
                        + "(FP32, FP64, INT*), not BOOL");
            }
            int count = rows(tensor);
            if (n >= 0 && count != n) {
                throw malformed(tensor.name(), "every input tensor must have the same batch size: " + n + " and "
                        + count);
            }
            if (rows == null) {
                n = count;
                rows = new ArrayList<>(n);
                for (int r = 0; r < n; r++) {
                    rows.add(new LinkedHashMap<>());
                }
            }
            List<JsonNode> values = flatten(tensor, n);
            for (int r = 0; r < n; r++) {
                rows.get(r).put(column.name(), element(tensor, values.get(r), r));
            }
            tensorOfFeature.put(column.name(), tensor.name());
        }
        List<PredictionInput> inputs = new ArrayList<>(n);
        rows.forEach(row -> inputs.add(PredictionInput.features(row)));
        return new Decoded(inputs, tensorOfFeature, tensors.get(0).name());
    }

    private Decoded decodeMatrix(ServableModel model, ModelSignature signature, OipMessages.RequestInput tensor) {
        List<FeatureColumn> columns = signature.features();
        if (tensor.datatype().equals("BYTES") && (tensor.shape() == null || tensor.shape().size() != 2)) {
            throw PredictionService.taskMismatch(model, "Model " + model.id() + " is a " + model.task().wireName()
                    + " model: send its features, not texts.");
        }
        if (!NUMERIC.contains(tensor.datatype())) {
            throw malformed(tensor.name(), "'" + FEATURES + "' is a numeric tensor (FP32), got " + tensor.datatype()
                    + "; send categorical text values as one BYTES tensor per column instead");
        }
        if (tensor.shape() == null || tensor.shape().size() != 2 || tensor.shape().get(1) != columns.size()) {
            throw malformed(tensor.name(), "shape must be [n, " + columns.size() + "]: the model reads "
                    + columns.size() + " features in this order: "
                    + columns.stream().map(FeatureColumn::name).toList() + "; got " + tensor.shape());
        }
        int n = rows(tensor);
        List<JsonNode> values = flatten(tensor, n * columns.size());
        List<PredictionInput> inputs = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c).name(), element(tensor, values.get(r * columns.size() + c), r));
            }
            inputs.add(PredictionInput.features(row));
        }
        return new Decoded(inputs, Map.of(), tensor.name());
    }

    /** The batch size: the first dimension, checked against the limit. */
    private int rows(OipMessages.RequestInput tensor) {
        List<Long> shape = tensor.shape();
        if (shape == null || shape.isEmpty()) {
            throw malformed(tensor.name(), "shape is required and its first dimension is the batch size");
        }
        for (Long dimension : shape) {
            if (dimension == null || dimension < 0) {
                throw malformed(tensor.name(), "shape dimensions must be non-negative integers, got " + shape);
            }
        }
        long n = shape.get(0);
        if (n > maxInputs) {
            throw new ProblemException(413, "too-many-inputs", "Too many inputs", "This request has a batch of "
                    + n + "; at most " + maxInputs + " inputs are allowed per request.")
                    .with("limit", maxInputs)
                    .with("errors", List.of(new ProblemException.FieldError(tensor.name(),
                            "at most " + maxInputs + " inputs per request")));
        }
        return (int) n;
    }

    /** The tensor's elements in row-major order; their number must be what the shape says. */
    private static List<JsonNode> flatten(OipMessages.RequestInput tensor, long rowsTimesWidth) {
        long expected = 1;
        try {
            for (Long dimension : tensor.shape()) {
                expected = Math.multiplyExact(expected, dimension);
            }
        } catch (ArithmeticException e) {
            throw malformed(tensor.name(), "shape " + tensor.shape() + " is too large");
        }
        if (tensor.data() == null || !tensor.data().isArray()) {
            throw malformed(tensor.name(), "data must be a JSON array (flat or nested, row-major)");
        }
        List<JsonNode> out = new ArrayList<>((int) Math.min(expected, 1 << 16));
        flattenInto(tensor.data(), out, expected, tensor.name(), tensor.shape());
        if (out.size() != expected) {
            throw malformed(tensor.name(), "shape " + tensor.shape() + " holds " + expected + " elements but data "
                    + "has " + out.size());
        }
        return out;
    }

    private static void flattenInto(JsonNode node, List<JsonNode> out, long limit, String name, List<Long> shape) {
        for (JsonNode element : node) {
            if (element.isArray()) {
                flattenInto(element, out, limit, name, shape);
            } else {
                if (out.size() >= limit) {
                    throw malformed(name, "data has more elements than shape " + shape + " holds (" + limit + ")");
                }
                out.add(element);
            }
        }
    }

    /** One element as the engine takes a feature value. */
    private static Object element(OipMessages.RequestInput tensor, JsonNode value, int row) {
        String datatype = tensor.datatype();
        if (datatype.equals("BYTES")) {
            if (!value.isTextual()) {
                throw malformed(tensor.name() + "[" + row + "]", "BYTES elements must be JSON strings");
            }
            return value.textValue();
        }
        if (datatype.equals("BOOL")) {
            if (!value.isBoolean()) {
                throw malformed(tensor.name() + "[" + row + "]", "BOOL elements must be true or false");
            }
            return value.booleanValue();
        }
        if (!value.isNumber()) {
            throw malformed(tensor.name() + "[" + row + "]", datatype + " elements must be JSON numbers");
        }
        return value.numberValue();
    }

    /** The outputs a request asks for (all when it names none), in the protocol's layout. */
    List<OipMessages.ResponseOutput> encode(ServableModel model, List<Prediction> predictions,
            List<OipMessages.RequestOutput> requested) {
        long n = predictions.size();
        Map<String, OipMessages.ResponseOutput> all = new LinkedHashMap<>();
        if (model.task().isClassification()) {
            List<String> labels = new ArrayList<>(predictions.size());
            int classes = model.labels().size();
            float[] probabilities = new float[predictions.size() * classes];
            for (int r = 0; r < predictions.size(); r++) {
                Prediction p = predictions.get(r);
                labels.add(p.label());
                for (int c = 0; c < classes; c++) {
                    probabilities[r * classes + c] = p.probabilities().get(model.labels().get(c)).floatValue();
                }
            }
            all.put(LABEL, new OipMessages.ResponseOutput(LABEL, List.of(n), "BYTES", labels));
            all.put(PROBABILITIES, new OipMessages.ResponseOutput(PROBABILITIES, List.of(n, (long) classes), "FP32",
                    probabilities));
        } else {
            double[] values = new double[predictions.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = predictions.get(r).value();
            }
            all.put(VALUE, new OipMessages.ResponseOutput(VALUE, List.of(n), "FP64", values));
        }
        if (requested == null || requested.isEmpty()) {
            return List.copyOf(all.values());
        }
        List<OipMessages.ResponseOutput> chosen = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            OipMessages.RequestOutput output = requested.get(i);
            OipMessages.ResponseOutput found = output == null ? null : all.get(output.name());
            if (found == null) {
                throw ProblemException.invalid("outputs[" + i + "]: the model has no output '"
                        + (output == null ? null : output.name()) + "'; it has " + all.keySet(),
                        List.of(new ProblemException.FieldError("outputs[" + i + "].name",
                                "must be one of " + all.keySet())));
            }
            chosen.add(found);
        }
        return chosen;
    }

    /** The inputs and outputs the model's metadata lists. */
    static OipMessages.ModelMetadata metadata(String name, ServableModel model, ModelSignature signature) {
        List<OipMessages.MetadataTensor> inputs = new ArrayList<>();
        if (model.task().isImage()) {
            inputs.add(new OipMessages.MetadataTensor(IMAGE, "BYTES", List.of(-1L)));
        } else if (model.task().isText()) {
            inputs.add(new OipMessages.MetadataTensor(TEXT, "BYTES", List.of(-1L)));
        } else {
            for (FeatureColumn column : signature.features()) {
                inputs.add(new OipMessages.MetadataTensor(column.name(),
                        column.kind() == FeatureKind.NUMERIC ? "FP32" : "BYTES", List.of(-1L)));
            }
        }
        List<OipMessages.MetadataTensor> outputs = new ArrayList<>();
        if (model.task().isClassification()) {
            outputs.add(new OipMessages.MetadataTensor(LABEL, "BYTES", List.of(-1L)));
            outputs.add(new OipMessages.MetadataTensor(PROBABILITIES, "FP32",
                    List.of(-1L, (long) model.labels().size())));
        } else {
            outputs.add(new OipMessages.MetadataTensor(VALUE, "FP64", List.of(-1L)));
        }
        return new OipMessages.ModelMetadata(name, List.of(Integer.toString(model.version())), "pytorch_djl",
                inputs, outputs);
    }

    /** The engine's complaint about one input, named by tensor and row. */
    static ProblemException invalidInput(InputRejectedException e, Decoded decoded) {
        String field = decoded.fieldOf(e.row(), e.feature());
        return ProblemException.invalid(field + ": " + e.detail(),
                List.of(new ProblemException.FieldError(field, e.detail()))).with("row", e.row());
    }

    static ProblemException malformed(String field, String message) {
        return new ProblemException(400, "malformed-tensor", "Malformed tensor", field + ": " + message)
                .with("errors", List.of(new ProblemException.FieldError(field, message)));
    }
}
