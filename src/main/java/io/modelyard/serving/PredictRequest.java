package io.modelyard.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code POST /v1/models/{id_or_alias}/predict}.
 *
 * @param inputs  texts (strings) for a text model; objects of feature name to value for a tabular model
 * @param topK    classification: answer the k most probable classes, most probable first, instead of all
 * @param explain text models: also list the tokens that moved each prediction most
 */
public record PredictRequest(List<JsonNode> inputs, Integer topK, Boolean explain) {
}
