package io.modelyard.job;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.common.TypedId;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The generic job API: canary jobs, lists and filters, cancellation, permissions, idempotency, audit. */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobApiTest {

    @Inject
    JobFixture fixture;

    @Test
    void aCanaryJobIsQueuedRunAndSucceeds() {
        TestTenant tenant = TestTenant.signUp("Canary");
        String key = tenant.apiKey("jobs:write", "read");
        String id = withKey(key).body(Map.of("type", "noop", "metadata", Map.of("probe", "eu-west")))
                .post("/v1/jobs").then().statusCode(202)
                .body("object", equalTo("job"))
                .body("type", equalTo("noop"))
                .body("state", equalTo("queued"))
                .body("attempt", equalTo(1))
                .body("max_attempts", equalTo(3))
                .body("metadata.probe", equalTo("eu-west"))
                .body("created_by", equalTo("key:" + keyId(tenant)))
                .extract().path("id");
        assertTrue(TypedId.isWellFormed("job", id), id);
        fixture.awaitState(tenant, id, JobState.SUCCEEDED);
        withKey(key).get("/v1/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("succeeded"))
                .body("progress", equalTo(100.0f))
                .body("error", nullValue())
                .body("started_at", notNullValue())
                .body("finished_at", notNullValue())
                .body("result", equalTo(Map.of()));
        withKey(key).get("/v1/jobs/" + id + "/events").then().statusCode(200)
                .body("data.type", contains("state", "state", "state"))
                .body("data.data.to", contains("queued", "running", "succeeded"))
                .body("data.object", everyItem(equalTo("job_event")))
                .body("data.job_id", everyItem(equalTo(id)));
    }

    @Test
    void onlyCanaryJobsAreCreatedThroughTheGenericApi() {
        TestTenant tenant = TestTenant.signUp("Only noop");
        assertProblem(tenant.owner().api().body(Map.of("type", "train")).post("/v1/jobs"), 400, "validation-failed")
                .body("errors[0].field", equalTo("type"));
        assertProblem(tenant.owner().api().body(Map.of("type", "noop", "payload", Map.of())).post("/v1/jobs"),
                400, "validation-failed").body("errors[0].field", equalTo("payload"));
        assertProblem(tenant.owner().api().body(Map.of("type", "noop", "metadata", Map.of("k", "x".repeat(501))))
                .post("/v1/jobs"), 400, "validation-failed").body("errors[0].field", equalTo("metadata.k"));
    }

    @Test
    void readingNeedsReadAndCreatingOrCancellingNeedsJobsWrite() {
        TestTenant tenant = TestTenant.signUp("Permissions");
        TestUser viewer = tenant.addMember("viewer");
        String readKey = tenant.apiKey("read");
        String writeOnlyKey = tenant.apiKey("jobs:write");
        String id = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();

        viewer.api().get("/v1/jobs/" + id).then().statusCode(200);
        withKey(readKey).get("/v1/jobs").then().statusCode(200).body("data.id", hasItem(id));
        assertProblem(viewer.api().body(Map.of("type", "noop")).post("/v1/jobs"), 403, "insufficient-role");
        assertProblem(viewer.api().post("/v1/jobs/" + id + "/cancel"), 403, "insufficient-role");
        assertProblem(withKey(readKey).body(Map.of("type", "noop")).post("/v1/jobs"), 403, "insufficient-scope");
        assertProblem(withKey(writeOnlyKey).get("/v1/jobs/" + id), 403, "insufficient-scope");
        withKey(writeOnlyKey).post("/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
    }

    @Test
    void listsFilterByTypeStateAndMetadataAndPageNewestFirst() {
        TestTenant tenant = TestTenant.signUp("Lists");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(0, fixture.enqueue(tenant, "test_unclaimed", Map.of(),
                    Map.of("team", i % 2 == 0 ? "vision" : "nlp", "run", "r" + i), null).id());
        }
        String done = tenant.owner().api().body(Map.of("type", "noop", "metadata", Map.of("team", "vision")))
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        fixture.awaitState(tenant, done, JobState.SUCCEEDED);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            var page = tenant.owner().api().queryParam("limit", 2).queryParam("type", "test_unclaimed")
                    .queryParam("after", cursor == null ? "" : cursor).get("/v1/jobs")
                    .then().statusCode(200).body("object", equalTo("list")).extract();
            paged.addAll(page.path("data.id"));
            cursor = page.path("next_cursor");
        } while (cursor != null);
        assertEquals(created, paged);

        tenant.owner().api().get("/v1/jobs?state=succeeded").then().body("data.id", contains(done));
        tenant.owner().api().get("/v1/jobs?state=queued").then().body("data.id", containsInAnyOrder(created.toArray()));
        tenant.owner().api().queryParam("metadata[team]", "vision").get("/v1/jobs").then()
                .body("data", hasSize(4)).body("data.metadata.team", everyItem(equalTo("vision")));
        tenant.owner().api().queryParam("metadata[team]", "nlp").queryParam("metadata[run]", "r1")
                .get("/v1/jobs").then().body("data.id", contains(created.get(3)));
        tenant.owner().api().queryParam("metadata[team]", "vision").queryParam("type", "noop")
                .get("/v1/jobs").then().body("data.id", contains(done));
        assertProblem(tenant.owner().api().get("/v1/jobs?state=sleeping"), 400, "validation-failed")
                .body("errors[0].field", equalTo("state"));
        assertProblem(tenant.owner().api().get("/v1/jobs?after=evt_00000000000000000000000000"), 400,
                "validation-failed").body("errors[0].field", equalTo("after"));
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndAFinishedJobCannotBeCancelled() {
        TestTenant tenant = TestTenant.signUp("Cancel queued");
        String id = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();
        tenant.owner().api().post("/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"))
                .body("cancel_requested_at", notNullValue())
                .body("finished_at", notNullValue());
        tenant.owner().api().get("/v1/jobs/" + id + "/events").then()
                .body("data.data.to", contains("queued", "cancelled"))
                .body("data[1].data.reason", equalTo("cancel_requested"));
        assertProblem(tenant.owner().api().post("/v1/jobs/" + id + "/cancel"), 409, "job-finished");

        String done = tenant.owner().api().body(Map.of("type", "noop")).post("/v1/jobs").then().statusCode(202)
                .extract().path("id");
        fixture.awaitState(tenant, done, JobState.SUCCEEDED);
        assertProblem(tenant.owner().api().post("/v1/jobs/" + done + "/cancel"), 409, "job-finished");
        fixture.awaitState(tenant, done, JobState.SUCCEEDED);

        tenant.owner().api().get("/v1/audit-events?action=job.cancelled").then()
                .body("data.target.id", contains(id))
                .body("data[0].details.state", equalTo("cancelled"));
        tenant.owner().api().get("/v1/audit-events?action=job.created").then()
                .body("data.target.id", hasItem(done)).body("data[0].details.type", equalTo("noop"));
    }

    @Test
    void tenConcurrentCreatesWithOneIdempotencyKeyMakeOneJob() throws Exception {
        TestTenant tenant = TestTenant.signUp("Idempotent");
        String key = tenant.apiKey("jobs:write", "read");
        Map<String, Object> body = Map.of("type", "noop", "metadata", Map.of("batch", "once"));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(() -> withKey(key).header("Idempotency-Key", "canary-7").body(body).post("/v1/jobs"));
            }
            Set<String> ids = new HashSet<>();
            int replayed = 0;
            for (Future<Response> answer : pool.invokeAll(calls)) {
                Response response = answer.get();
                assertEquals(202, response.statusCode(), response.asString());
                ids.add(response.path("id"));
                replayed += "true".equals(response.header("Idempotent-Replayed")) ? 1 : 0;
            }
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(9, replayed);
        } finally {
            pool.shutdownNow();
        }
        withKey(key).queryParam("metadata[batch]", "once").get("/v1/jobs").then().body("data", hasSize(1));
        assertProblem(withKey(key).header("Idempotency-Key", "canary-7")
                .body(Map.of("type", "noop", "metadata", Map.of("batch", "twice"))).post("/v1/jobs"),
                409, "idempotency-key-reused");
    }

    @Test
    void everyJobEndpointAnswers404ForAnotherTenantsAndRandomIds() {
        TestTenant victim = TestTenant.signUp("Job victim");
        TestTenant attacker = TestTenant.signUp("Job attacker");
        String victimJob = fixture.enqueue(victim, "test_unclaimed", Map.of(), Map.of("secret", "yes"), null).id();
        String attackerKey = attacker.apiKey("read", "jobs:write");
        for (String id : List.of(victimJob, TypedId.generate("job"), "job_' or '1'='1", "1")) {
            for (var caller : List.of(attacker.owner().api(), withKey(attackerKey))) {
                assertProblem(caller.get("/v1/jobs/" + id), 404, "not-found");
            }
            assertProblem(attacker.owner().api().post("/v1/jobs/" + id + "/cancel"), 404, "not-found");
            assertProblem(attacker.owner().api().get("/v1/jobs/" + id + "/events"), 404, "not-found");
            assertProblem(attacker.owner().api().accept("text/event-stream").get("/v1/jobs/" + id
                    + "/events?stream=true"), 404, "not-found");
        }
        attacker.owner().api().get("/v1/jobs").then().statusCode(200).body("data.id", everyItem(
                org.hamcrest.Matchers.not(victimJob)));
        attacker.owner().api().queryParam("metadata[secret]", "yes").get("/v1/jobs").then().body("data", hasSize(0));
        // Nothing changed on the victim's side.
        victim.owner().api().get("/v1/jobs/" + victimJob).then().statusCode(200).body("state", equalTo("queued"));
        victim.owner().api().post("/v1/jobs/" + victimJob + "/cancel").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheJobOperations() {
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/jobs'.post.responses.'202'.description", notNullValue())
                .body("paths.'/v1/jobs'.post.requestBody.content.'application/json'.examples", notNullValue())
                .body("paths.'/v1/jobs/{id}/cancel'.post.responses.'409'.description", notNullValue())
                .body("paths.'/v1/jobs/{id}'.get.responses.'404'.description", notNullValue())
                .body("paths.'/v1/jobs/{id}/events'.get.summary", notNullValue())
                .body("paths.'/v1/jobs/{id}/events'.get.responses.'200'.content.'application/json'", notNullValue())
                .body("paths.'/v1/jobs/{id}/events'.get.responses.'200'.content.'text/event-stream'.schema.'$ref'",
                        equalTo("#/components/schemas/JobEventView"));
    }

    private static String keyId(TestTenant tenant) {
        return tenant.owner().api().get("/v1/api-keys").then().extract().path("data[0].id");
    }
}
