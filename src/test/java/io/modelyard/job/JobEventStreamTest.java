package io.modelyard.job;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.TypedId;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A job's events, paged and as a Server-Sent Event stream read with a plain HTTP client. */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobEventStreamTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    JobFixture fixture;

    /** One event as it came over the wire, and when. */
    record Received(String id, JsonNode data, Instant at) {
    }

    @Test
    void eventsArePagedOldestFirstWithACursor() {
        TestTenant tenant = TestTenant.signUp("Paged events");
        String id = fixture.enqueue(tenant, "test_steps", Map.of("steps", 4, "step_ms", 10)).id();
        fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        List<String> all = tenant.owner().api().get("/v1/jobs/" + id + "/events?limit=100").then().statusCode(200)
                .body("has_more", equalTo(false)).extract().path("data.id");
        assertTrue(all.size() >= 8, "queued, running, 4 metrics, progress, succeeded: " + all);
        all.forEach(eventId -> assertTrue(TypedId.isWellFormed("evt", eventId), eventId));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            var page = tenant.owner().api().queryParam("limit", 3).queryParam("after", cursor == null ? "" : cursor)
                    .get("/v1/jobs/" + id + "/events").then().statusCode(200).extract();
            paged.addAll(page.path("data.id"));
            cursor = page.path("next_cursor");
        } while (cursor != null);
        assertEquals(all, paged);
        tenant.owner().api().get("/v1/jobs/" + id + "/events?stream=false&after=" + all.get(all.size() - 2)).then()
                .body("data.id", equalTo(List.of(all.get(all.size() - 1))))
                .body("data[0].data.to", equalTo("succeeded"));
        assertProblem(tenant.owner().api().get("/v1/jobs/" + id + "/events?after=" + TypedId.generate("evt")),
                400, "validation-failed").body("errors[0].field", equalTo("after"));
        assertProblem(tenant.owner().api().get("/v1/jobs/" + id + "/events?stream=maybe"), 400,
                "validation-failed").body("errors[0].field", equalTo("stream"));
    }

    @Test
    void theStreamReplaysThenFollowsTheJobLiveAndEndsWhenItFinishes() throws Exception {
        TestTenant tenant = TestTenant.signUp("Streamed");
        String token = tenant.owner().token();
        String id = fixture.enqueue(tenant, "test_steps", Map.of("steps", 6, "step_ms", 400)).id();

        HttpResponse<Stream<String>> response = open(token, "/v1/jobs/" + id + "/events?stream=true", null);
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        List<Received> received = read(response);
        Instant streamEnded = Instant.now();

        JobView job = fixture.get(tenant, id);
        assertEquals(JobState.SUCCEEDED, job.state());
        List<String> paged = tenant.owner().api().get("/v1/jobs/" + id + "/events?limit=100").then()
                .extract().path("data.id");
        assertEquals(paged, received.stream().map(Received::id).toList(), "every event, once, in order");
        assertEquals("succeeded", received.get(received.size() - 1).data().at("/data/to").asText());
        assertEquals("job_event", received.get(0).data().get("object").asText());
        assertEquals(id, received.get(0).data().get("job_id").asText());
        // Live, not replayed at the end: the first events arrived well before the job finished.
        assertTrue(received.get(1).at().isBefore(job.finishedAt().minusMillis(1_000)),
                "first events at " + received.get(1).at() + ", job finished at " + job.finishedAt());
        assertTrue(streamEnded.isBefore(job.finishedAt().plusSeconds(5)), "the stream ended with the job");

        // A client that reconnects gets what it missed, then the end.
        String seen = received.get(2).id();
        List<Received> rest = read(open(token, "/v1/jobs/" + id + "/events?stream=true", seen));
        assertEquals(paged.subList(3, paged.size()), rest.stream().map(Received::id).toList());
        List<Received> viaAfter = read(open(token, "/v1/jobs/" + id + "/events?stream=true&after=" + seen, null));
        assertEquals(paged.subList(3, paged.size()), viaAfter.stream().map(Received::id).toList());
        // One that has seen everything of a finished job is told not to come back (204 stops an EventSource).
        assertEquals(204, open(token, "/v1/jobs/" + id + "/events?stream=true", paged.get(paged.size() - 1))
                .statusCode());
        // EventSource sends Accept: text/event-stream without ?stream=true.
        HttpResponse<Stream<String>> byAccept = open(token, "/v1/jobs/" + id + "/events", null);
        assertEquals(paged, read(byAccept).stream().map(Received::id).toList());
    }

    @Test
    void aStreamOfAnotherTenantsJobOrAnUnknownEventIsRefused() throws Exception {
        TestTenant owner = TestTenant.signUp("Stream owner");
        TestTenant other = TestTenant.signUp("Stream other");
        String id = fixture.enqueue(owner, "test_unclaimed", Map.of()).id();
        HttpResponse<Stream<String>> foreign = open(other.owner().token(), "/v1/jobs/" + id + "/events?stream=true",
                null);
        assertEquals(404, foreign.statusCode());
        assertEquals("application/problem+json", foreign.headers().firstValue("Content-Type").orElseThrow());
        foreign.body().close();
        HttpResponse<Stream<String>> unknown = open(owner.owner().token(), "/v1/jobs/" + id + "/events?stream=true",
                TypedId.generate("evt"));
        assertEquals(400, unknown.statusCode());
        unknown.body().close();
        assertEquals(401, open(null, "/v1/jobs/" + id + "/events?stream=true", null).statusCode());
        owner.owner().api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    private static HttpResponse<Stream<String>> open(String token, String path, String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + path))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** Reads the stream until the server ends it: events are "id:" and "data:" lines, then a blank line. */
    private static List<Received> read(HttpResponse<Stream<String>> response) throws IOException {
        assertEquals(200, response.statusCode());
        List<Received> events = new ArrayList<>();
        String id = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && data.length() > 0) {
                    events.add(new Received(id, JSON.readTree(data.toString()), Instant.now()));
                    id = null;
                    data.setLength(0);
                }
            }
        }
        return events;
    }
}
