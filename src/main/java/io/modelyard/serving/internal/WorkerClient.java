package io.modelyard.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Problem;
import io.modelyard.common.ProblemException;
import io.modelyard.common.RequestIdFilter;
import io.modelyard.serving.InferenceBackend;
import io.modelyard.serving.InferenceResult;
import io.modelyard.serving.InputRejectedException;
import io.modelyard.serving.ModelRef;
import io.modelyard.serving.ModelSignature;
import io.modelyard.serving.ServingConfig;
import io.modelyard.serving.engine.PredictionInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The api role's way to predict: forwards to the workers' service URL ({@code modelyard.serving.worker-url})
 * over internal HTTP with the shared secret, and turns the worker's problems back into ours (an invalid input,
 * a model still loading with its Retry-After). A worker that cannot be reached answers 503 with Retry-After.
 */
@ApplicationScoped
@Typed(WorkerClient.class)
public class WorkerClient implements InferenceBackend {

    private static final Logger LOG = Logger.getLogger(WorkerClient.class);
    private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance", "request_id");

    private final ServingConfig config;
    private final InternalConfig internal;
    private final ObjectMapper json;
    private final HttpClient http;

    WorkerClient(ServingConfig config, InternalConfig internal, ObjectMapper json) {
        this.config = config;
        this.internal = internal;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public InferenceResult infer(ModelRef model, List<PredictionInput> inputs, boolean explain, int explainTokens,
            Duration wait) {
        return post("predict", new InternalMessages.Predict(model, inputs, explain, explainTokens, wait.toMillis()),
                InferenceResult.class, wait);
    }

    @Override
    public ModelSignature describe(ModelRef model, Duration wait) {
        return post("describe", new InternalMessages.Describe(model, wait.toMillis()), ModelSignature.class, wait);
    }

    @Override
    public boolean ready(ModelRef model) {
        return post("ready", new InternalMessages.Ready(model), InternalMessages.Readiness.class, Duration.ZERO)
                .ready();
    }

    private <T> T post(String operation, Object body, Class<T> type, Duration wait) {
        URI base = config.workerUrl().orElseThrow(() -> unavailable(
                "No worker is configured for predictions (modelyard.serving.worker-url)."));
        String token = internal.token().filter(t -> !t.isBlank()).orElseThrow(() -> unavailable(
                "Predictions cannot reach the workers: modelyard.internal.token is not set."));
        HttpResponse<byte[]> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/internal/v1/" + operation))
                    .timeout(wait.plus(config.workerTimeout()))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header(InternalAuthFilter.HEADER, token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
            if (requestId != null) {
                request.header(RequestIdFilter.HEADER, requestId.toString());
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warnf("Worker at %s did not answer %s: %s", base, operation, e.toString());
            throw unavailable("No worker answered; retry in a moment.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("Interrupted while waiting for a worker.");
        }
        if (response.statusCode() == 200) {
            try {
                return json.readValue(response.body(), type);
            } catch (IOException e) {
                throw new IllegalStateException("Unreadable answer from the worker to " + operation, e);
            }
        }
        throw problemOf(response, operation);
    }

    /** Restates the worker's problem as ours; what only concerns the platform itself becomes a 500. */
    private ProblemException problemOf(HttpResponse<byte[]> response, String operation) {
        JsonNode problem;
        try {
            problem = json.readTree(response.body());
        } catch (IOException e) {
            problem = null;
        }
        int status = response.statusCode();
        if (problem == null || !problem.path("type").asText().startsWith(Problem.TYPE_BASE)
                || status == 401 || status == 403) {
            LOG.errorf("Worker refused %s with %d: %s", operation, status,
                    new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            return new ProblemException(500, "internal-error", "Internal error",
                    "Something went wrong on our side. Quote the request_id when you contact support.");
        }
        String type = problem.path("type").asText().substring(Problem.TYPE_BASE.length());
        String detail = problem.path("detail").asText();
        if (InputRejectedException.TYPE.equals(type)) {
            return new InputRejectedException(detail, problem.path("field").asText(null),
                    problem.path("row").asInt(-1));
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        problem.fields().forEachRemaining(f -> {
            if (!STANDARD.contains(f.getKey())) {
                extensions.put(f.getKey(), json.convertValue(f.getValue(), Object.class));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().firstValue("Retry-After").ifPresent(v -> headers.put("Retry-After", v));
        return new ProblemException(status, type, problem.path("title").asText(), detail, extensions, headers);
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(503, "worker-unavailable", "Service unavailable", detail)
                .withHeader("Retry-After", "1");
    }
}
