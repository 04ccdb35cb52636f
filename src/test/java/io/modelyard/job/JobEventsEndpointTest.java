package io.modelyard.job;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.optimization.CompressionJobHandler;
import io.modelyard.optimization.DistillationJobHandler;
import io.modelyard.optimization.TuningJobHandler;
import io.modelyard.serving.batch.BatchPredictionHandler;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.training.TrainingJobHandler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/<collection>/{id}/events} is one endpoint for every job type: the same JSON page and the same event
 * stream as {@code /v1/jobs/{id}/events}, and 404 for another tenant's job or a job of another type.
 */
@QuarkusTest
@TestProfile(JobEventsEndpointTest.QueuedOnly.class)
class JobEventsEndpointTest {

    /** No worker here claims the typed jobs: each stays queued with its one event, so no model is needed. */
    public static class QueuedOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modelyard.worker.types", NoopJobHandler.TYPE);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPE_OF_COLLECTION = new LinkedHashMap<>();

    static {
        TYPE_OF_COLLECTION.put("training-jobs", TrainingJobHandler.TYPE);
        TYPE_OF_COLLECTION.put("tuning-jobs", TuningJobHandler.TYPE);
        TYPE_OF_COLLECTION.put("distillation-jobs", DistillationJobHandler.TYPE);
        TYPE_OF_COLLECTION.put("compression-jobs", CompressionJobHandler.TYPE);
        TYPE_OF_COLLECTION.put("batch-predictions", BatchPredictionHandler.TYPE);
    }

    @Inject
    JobFixture fixture;

    @Test
    void everyJobTypeAnswersTheSamePageAndStreamAsTheJobsEndpoint() throws Exception {
        TestTenant tenant = TestTenant.signUp("Events of every type");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String token = tenant.owner().token();
        for (Map.Entry<String, String> entry : TYPE_OF_COLLECTION.entrySet()) {
            String id = fixture.enqueue(tenant, entry.getValue(), Map.of()).id();
            String path = "/v1/" + entry.getKey() + "/" + id + "/events";
            JsonNode generic = JSON.readTree(tenant.owner().api().get("/v1/jobs/" + id + "/events").then()
                    .statusCode(200).extract().asString());
            assertEquals("list", generic.path("object").asText());
            assertEquals("queued", generic.path("data").path(0).path("data").path("to").asText(), generic.toString());

            for (String query : new String[] {"", "?stream=false", "?limit=5"}) {
                String page = tenant.owner().api().get(path + query).then().statusCode(200)
                        .contentType(startsWith("application/json")).extract().asString();
                assertEquals(generic, JSON.readTree(page), path + query);
            }
            tenant.owner().api().get(path + "?after=" + generic.path("data").path(0).path("id").asText()).then()
                    .statusCode(200).body("data", empty());
            assertProblem(tenant.owner().api().get(path + "?stream=maybe"), 400, "validation-failed")
                    .body("errors[0].field", equalTo("stream"));

            // ?stream=true, and an EventSource's Accept header alone, stream the same first event.
            for (String query : new String[] {"?stream=true", ""}) {
                HttpResponse<Stream<String>> stream = open(token, path + query);
                assertEquals(200, stream.statusCode(), path + query);
                assertEquals("text/event-stream",
                        stream.headers().firstValue("Content-Type").orElse("").split(";")[0]);
                assertEquals("no-cache", stream.headers().firstValue("Cache-Control").orElse(""));
                String[] first = firstEvent(stream);
                assertEquals(generic.path("data").path(0).path("id").asText(), first[0]);
                assertEquals(generic.path("data").path(0), JSON.readTree(first[1]));
            }
            tenant.owner().api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void anotherTenantsJobAndAJobOfAnotherTypeAreNotFound() throws Exception {
        TestTenant owner = TestTenant.signUp("Events owner");
        TestTenant stranger = TestTenant.signUp("Events stranger");
        // well over a hundred requests in a few seconds: the free plan's rate limit is not what this tests
        String unlimited = TestPlans.unlimited();
        TestPlans.assign(owner, unlimited);
        TestPlans.assign(stranger, unlimited);
        Map<String, String> ids = new LinkedHashMap<>();
        TYPE_OF_COLLECTION.forEach((collection, type) -> ids.put(collection, fixture.enqueue(owner, type, Map.of())
                .id()));
        String canary = owner.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then().statusCode(202)
                .extract().path("id");
        for (String collection : TYPE_OF_COLLECTION.keySet()) {
            String path = "/v1/" + collection + "/" + ids.get(collection) + "/events";
            assertProblem(stranger.owner().api().get(path), 404, "not-found");
            assertProblem(stranger.owner().api().queryParam("stream", "true").get(path), 404, "not-found");
            HttpResponse<Stream<String>> foreign = open(stranger.owner().token(), path + "?stream=true");
            assertEquals(404, foreign.statusCode(), path);
            assertEquals("application/problem+json", foreign.headers().firstValue("Content-Type").orElseThrow());
            foreign.body().close();

            for (String other : TYPE_OF_COLLECTION.keySet()) {
                if (!other.equals(collection)) {
                    String wrongType = "/v1/" + other + "/" + ids.get(collection) + "/events";
                    assertProblem(owner.owner().api().get(wrongType), 404, "not-found");
                    assertProblem(owner.owner().api().queryParam("stream", "true").get(wrongType), 404, "not-found");
                }
            }
            assertProblem(owner.owner().api().get("/v1/" + collection + "/" + canary + "/events"), 404, "not-found");
            assertProblem(owner.owner().api().queryParam("stream", "true")
                    .get("/v1/" + collection + "/" + canary + "/events"), 404, "not-found");
            assertEquals(401, open(null, path + "?stream=true").statusCode());
        }
        for (String id : ids.values()) {
            owner.owner().api().get("/v1/jobs/" + id + "/events").then().statusCode(200);
            owner.owner().api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void otherEventsPathsAreNotJobEvents() {
        TestTenant tenant = TestTenant.signUp("Other events");
        // ?stream= means nothing to the usage ledger and the audit log: they answer their JSON as ever.
        tenant.owner().api().get("/v1/usage/events?stream=maybe").then().statusCode(200)
                .body("object", equalTo("list"));
        tenant.owner().api().get("/v1/audit-events?stream=maybe").then().statusCode(200)
                .body("object", equalTo("list"));
    }

    private static HttpResponse<Stream<String>> open(String token, String path) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The first event's id and data; then the stream is closed (the job is queued: it would not end). */
    private static String[] firstEvent(HttpResponse<Stream<String>> response) {
        List<String> event = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (!line.isEmpty()) {
                    event.add(line);
                } else if (event.stream().anyMatch(l -> l.startsWith("data:"))) {
                    return new String[] {field(event, "id:"), field(event, "data:")};
                }
            }
        }
        return fail("the stream ended before its first event");
    }

    private static String field(List<String> event, String prefix) {
        return event.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim())
                .findFirst().orElse(null);
    }
}
