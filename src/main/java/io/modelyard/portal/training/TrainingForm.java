package io.modelyard.portal.training;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.training.TrainingJobRequests.CreateTrainingJob;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the training form into the API's own request: the form's names are the JSON fields of
 * {@code POST /v1/training-jobs} ({@code hyperparameters.learning_rate} nests), and the same JSON mapping parses
 * them, so the portal accepts and refuses exactly what the API does.
 */
final class TrainingForm {

    private TrainingForm() {
    }

    static CreateTrainingJob read(MultivaluedMap<String, String> form, boolean dryRun, ObjectMapper json)
            throws JsonMappingException {
        Map<String, Object> body = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            String value = values.isEmpty() ? null : values.get(0);
            if (value == null || value.isBlank() || name.startsWith("_")) {
                return;
            }
            Map<String, Object> target = body;
            String[] path = name.split("\\.");
            for (int i = 0; i < path.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) target.computeIfAbsent(path[i],
                        k -> new LinkedHashMap<String, Object>());
                target = next;
            }
            target.put(path[path.length - 1], value.strip());
        });
        body.put("dry_run", dryRun);
        try {
            return json.convertValue(body, CreateTrainingJob.class);
        } catch (IllegalArgumentException e) {
            // The API's mappers turn Jackson's own exceptions into field errors; hand them the same one.
            if (e.getCause() instanceof JsonMappingException mapping) {
                throw mapping;
            }
            throw e;
        }
    }
}
