package io.modelyard.serving.oip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The JSON objects of the Open Inference Protocol's REST API (KServe v2 / Triton), field for field as the
 * specification names them ({@code $inference_request}, {@code $inference_response}, {@code $metadata_*}).
 */
public final class OipMessages {

    private OipMessages() {
    }

    /** {@code $inference_request}. */
    public record InferRequest(String id, Map<String, Object> parameters, List<RequestInput> inputs,
            List<RequestOutput> outputs) {
    }

    /** {@code $request_input}: data flat or nested, row-major. */
    public record RequestInput(String name, List<Long> shape, String datatype, Map<String, Object> parameters,
            JsonNode data) {
    }

    /** {@code $request_output}. */
    public record RequestOutput(String name, Map<String, Object> parameters) {
    }

    /** {@code $inference_response}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferResponse(String modelName, String modelVersion, String id, Map<String, Object> parameters,
            List<ResponseOutput> outputs) {
    }

    /** {@code $response_output}: data flattened, row-major. */
    public record ResponseOutput(String name, List<Long> shape, String datatype, Object data) {
    }

    /** {@code $metadata_model_response}. */
    public record ModelMetadata(String name, List<String> versions, String platform, List<MetadataTensor> inputs,
            List<MetadataTensor> outputs) {
    }

    /** {@code $metadata_tensor}: -1 marks a variable dimension (the batch). */
    public record MetadataTensor(String name, String datatype, List<Long> shape) {
    }

    /** {@code $metadata_server_response}. */
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }
}
