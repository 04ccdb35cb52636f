package io.modelyard.optimization;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starting and following tuning, compression and distillation jobs through their API. */
final class OptimizationJobs {

    /** A small space that trains in seconds: tiny widths and vocabularies, at most four epochs. */
    static final Map<String, Object> TINY_TEXT_SPACE = Map.of(
            "architectures", List.of("bag_of_embeddings", "text_cnn"),
            "dimensions", Map.of(
                    "learning_rate", Map.of("min", 0.003, "max", 0.05, "scale", "log"),
                    "embedding_size", Map.of("values", List.of(16, 32)),
                    "hidden_size", Map.of("values", List.of(16)),
                    "max_sequence_length", Map.of("values", List.of(16, 32)),
                    "vocabulary_size", Map.of("values", List.of(300)),
                    "batch_size", Map.of("values", List.of(32))),
            "min_epochs", 1,
            "max_epochs", 4);

    private OptimizationJobs() {
    }

    static String start(RequestSpecification as, String path, Map<String, Object> body) {
        return as.body(body).post(path).then().statusCode(202).extract().path("id");
    }

    static JsonPath awaitFinished(Supplier<RequestSpecification> as, String path, String id, Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = as.get().get(path + "/" + id).then().statusCode(200).extract().jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        return last[0];
    }

    static JsonPath awaitSucceeded(Supplier<RequestSpecification> as, String path, String id, Duration timeout) {
        JsonPath job = awaitFinished(as, path, id, timeout);
        if (!"succeeded".equals(job.getString("state"))) {
            throw new AssertionError(path + "/" + id + " ended " + job.getString("state") + ": "
                    + job.getString("error") + "\nevents: " + as.get().get("/v1/jobs/" + id + "/events?limit=100")
                    .then().extract().path("data.collect { it.type + ' ' + it.data }"));
        }
        return job;
    }

    /** Waits until the job has finished or is in {@code state}. */
    static JsonPath awaitFinishedOr(Supplier<RequestSpecification> as, String path, String id, String state,
            Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = as.get().get(path + "/" + id).then().statusCode(200).extract().jsonPath();
            return List.of("succeeded", "failed", "cancelled", state).contains(last[0].getString("state"));
        });
        return last[0];
    }

    static JsonPath awaitState(Supplier<RequestSpecification> as, String path, String id, String state,
            Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = as.get().get(path + "/" + id).then().statusCode(200).extract().jsonPath();
            return state.equals(last[0].getString("state"));
        });
        return last[0];
    }

    /** Every trial of a tuning job, following the cursor. */
    static List<Map<String, Object>> trials(RequestSpecification as, String id) {
        return as.get("/v1/tuning-jobs/" + id + "/trials?limit=100").then().statusCode(200).extract().jsonPath()
                .getList("data");
    }
}
