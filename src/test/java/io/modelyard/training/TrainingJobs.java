package io.modelyard.training;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Starting and following training jobs through the API. */
final class TrainingJobs {

    static final Map<String, Object> TINY = Map.of("epochs", 6, "batch_size", 32, "learning_rate", 0.01,
            "embedding_size", 16, "hidden_size", 16, "max_sequence_length", 16, "vocabulary_size", 300,
            "layers", 1, "heads", 2, "dropout", 0.1);

    private TrainingJobs() {
    }

    static String start(RequestSpecification as, Map<String, Object> body) {
        return as.body(body).post("/v1/training-jobs").then().statusCode(202).extract().path("id");
    }

    /** Waits until the job has finished and returns it; fails the test if it did not succeed. */
    static JsonPath awaitSucceeded(Supplier<RequestSpecification> as, String id, Duration timeout) {
        JsonPath job = awaitFinished(as, id, timeout);
        if (!"succeeded".equals(job.getString("state"))) {
            throw new AssertionError("Training job " + id + " ended " + job.getString("state") + ": "
                    + job.getString("error") + "\nevents: " + as.get().get("/v1/training-jobs/" + id
                    + "/events?limit=100").then().extract().path("data.collect { it.type + ' ' + it.data }"));
        }
        return job;
    }

    static JsonPath awaitFinished(Supplier<RequestSpecification> as, String id, Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = as.get().get("/v1/training-jobs/" + id).then().statusCode(200).extract().jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        return last[0];
    }

    static JsonPath awaitState(Supplier<RequestSpecification> as, String id, String state, Duration timeout) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = as.get().get("/v1/training-jobs/" + id).then().statusCode(200).extract().jsonPath();
            return state.equals(last[0].getString("state"));
        });
        return last[0];
    }
}
