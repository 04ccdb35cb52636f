package io.modelyard.job;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An open event stream is access that is still being used: it ends as soon as the access behind it does (a
 * revoked key, a removed member, a suspended tenant), and a tenant cannot hold more than its cap of them.
 */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class JobStreamAccessTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    JobFixture fixture;

    @Test
    void aStreamEndsWhenItsKeyIsRevoked() throws Exception {
        TestTenant tenant = TestTenant.signUp("Revoked stream");
        var created = tenant.owner().api().body(Map.of("name", "streamer", "scopes", List.of("read")))
                .post("/v1/api-keys").then().statusCode(201).extract();
        String keyId = created.path("id");
        String secret = created.path("secret");
        String job = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();
        CompletableFuture<List<String>> stream = follow(secret, job);

        tenant.owner().api().post("/v1/api-keys/" + keyId + "/revoke").then().statusCode(200);
        List<String> lines = stream.get(20, TimeUnit.SECONDS);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("data:")), "the stream had replayed the job: " + lines);
        // It ended because the key was revoked: reconnecting with it is refused.
        assertProblem(TestTenant.withKey(secret).get("/v1/jobs/" + job + "/events"), 401, "unauthenticated");
    }

    @Test
    void aStreamEndsWhenItsMemberIsRemoved() throws Exception {
        TestTenant tenant = TestTenant.signUp("Removed streamer");
        TestUser member = tenant.addMember("member");
        String job = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();
        CompletableFuture<List<String>> stream = follow(member.token(), job);
        String memberId = tenant.owner().api().get("/v1/members?limit=100").then().extract()
                .path("data.find { it.email == '" + member.email() + "' }.id");

        tenant.owner().api().delete("/v1/members/" + memberId).then().statusCode(204);
        stream.get(20, TimeUnit.SECONDS);
        assertProblem(member.api().get("/v1/jobs/" + job + "/events"), 403, "no-tenant");
    }

    @Test
    void aStreamEndsWhenItsTenantIsSuspended() throws Exception {
        TestTenant tenant = TestTenant.signUp("Suspended streamer");
        String job = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();
        CompletableFuture<List<String>> stream = follow(tenant.owner().token(), job);

        Keycloak.operator().api().body(Map.of("reason", "test")).post("/v1/admin/tenants/" + tenant.id() + "/suspend")
                .then().statusCode(200);
        try {
            stream.get(20, TimeUnit.SECONDS);
        } finally {
            Keycloak.operator().api().post("/v1/admin/tenants/" + tenant.id() + "/resume").then().statusCode(200);
        }
    }

    @Test
    void aTenantHoldsAtMostItsCapOfOpenStreams() throws Exception {
        TestTenant tenant = TestTenant.signUp("Many streams");
        String job = fixture.enqueue(tenant, "test_unclaimed", Map.of()).id();
        String token = tenant.owner().token();
        List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(HTTP.sendAsync(request(token, job), HttpResponse.BodyHandlers.ofLines()));
        }
        for (var response : open) {
            assertEquals(200, response.get(20, TimeUnit.SECONDS).statusCode());
        }
        assertProblem(tenant.owner().api().accept("text/event-stream")
                .get("/v1/jobs/" + job + "/events?stream=true"), 429, "too-many-streams");
        // Another tenant is not held back by this one's streams.
        TestTenant other = TestTenant.signUp("Few streams");
        String otherJob = fixture.enqueue(other, "test_unclaimed", Map.of()).id();
        assertEquals(200, HTTP.sendAsync(request(other.owner().token(), otherJob), HttpResponse.BodyHandlers.ofLines())
                .get(20, TimeUnit.SECONDS).statusCode());
        for (var response : open) {
            response.get().body().close();
        }
    }

    /**
     * Follows a job's stream in the background, once its replay has begun (a first event arrived); completes with
     * the lines read when the server ends the stream.
     */
    private static CompletableFuture<List<String>> follow(String bearer, String job) throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(request(bearer, job), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        CompletableFuture<Void> firstEvent = new CompletableFuture<>();
        CompletableFuture<List<String>> ended = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {
                    read.add(line);
                    if (line.startsWith("data:")) {
                        firstEvent.complete(null);
                    }
                });
            }
            firstEvent.complete(null);
            return read;
        });
        firstEvent.get(20, TimeUnit.SECONDS);
        assertTrue(!ended.isDone(), "the stream is open after its replay");
        return ended;
    }

    private static HttpRequest request(String bearer, String job) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/jobs/" + job
                        + "/events?stream=true"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(60)).build();
    }
}
