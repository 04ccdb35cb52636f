package io.modelyard.billing.metering;

import io.modelyard.billing.ledger.Ledger;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.billing.ledger.UsageAggregator;
import io.modelyard.billing.ledger.UsageRecorder;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replays add nothing; a retry after a 429 is served (and billed) once. */
@QuarkusTest
class ReplayAndRetryTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    TenantScope tenantScope;

    @Inject
    UsageRecorder recorder;

    @Inject
    UsageAggregator aggregator;

    @Test
    void aReplayedCreateIsNotBilledAgain() {
        TestTenant tenant = TestTenant.signUp("Replayer");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String adminKey = tenant.apiKey("admin");
        Map<String, Object> body = Map.of("name", "deploy bot", "scopes", List.of("read"));
        String id = withKey(adminKey).header("Idempotency-Key", "create-bot-1").body(body).post("/v1/api-keys")
                .then().statusCode(201).extract().path("id");
        for (int i = 0; i < 3; i++) {
            withKey(adminKey).header("Idempotency-Key", "create-bot-1").body(body).post("/v1/api-keys")
                    .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        }
        assertEquals(1, new Ledger(schemaOwner).keyEvents(tenant.id(), "api_requests"));
        tenant.owner().api().get("/v1/usage/events?meter=api_requests").then().statusCode(200)
                .body("data.findAll { it.api_key_id != null }.size()", equalTo(1))
                .body("data[0].attributes.size()", equalTo(0));
    }

    @Test
    void aRetryAfterA429IsServedAndBilledOnce() throws InterruptedException {
        TestTenant tenant = TestTenant.signUp("Impatient");
        TestPlans.assign(tenant, TestPlans.rateLimited(1, 1, 1000, 1000));
        String adminKey = tenant.apiKey("admin");
        Map<String, Object> body = Map.of("name", "retried", "scopes", List.of("read"));
        withKey(adminKey).get("/v1/ping").then().statusCode(200);
        Response limited = withKey(adminKey).header("Idempotency-Key", "retry-me").body(body).post("/v1/api-keys");
        assertProblem(limited, 429, "rate-limited");
        assertEquals(1, new Ledger(schemaOwner).keyEvents(tenant.id(), "api_requests"), "the 429 is not billed");

        Thread.sleep(Long.parseLong(limited.header("Retry-After")) * 1000);
        String id = withKey(adminKey).header("Idempotency-Key", "retry-me").body(body).post("/v1/api-keys")
                .then().statusCode(201).extract().path("id");
        Thread.sleep(1100);
        withKey(adminKey).header("Idempotency-Key", "retry-me").body(body).post("/v1/api-keys")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        assertEquals(2, new Ledger(schemaOwner).keyEvents(tenant.id(), "api_requests"));
        assertEquals(1, (int) tenant.owner().api().get("/v1/api-keys?limit=100").then()
                .extract().path("data.findAll { it.name == 'retried' }.size()"));
    }

    @Test
    void recordingTheSameIdempotencyKeyAgainAddsNothing() {
        TestTenant tenant = TestTenant.signUp("Recorder");
        Usage usage = Usage.of(Meter.DATASET_ROWS_INGESTED, 1200, "dataset:ds_1:version:1").withModel(null);
        boolean first = record(tenant, usage);
        boolean second = record(tenant, usage);
        boolean third = record(tenant, Usage.of(Meter.DATASET_ROWS_INGESTED, 99, "dataset:ds_1:version:1"));
        assertTrue(first);
        assertFalse(second);
        assertFalse(third);
        Ledger ledger = new Ledger(schemaOwner);
        assertEquals(1, ledger.events(tenant.id(), "dataset_rows_ingested"));
        aggregator.catchUp();
        assertEquals(0, ledger.used(tenant.id(), "dataset_rows_ingested").compareTo(new java.math.BigDecimal(1200)));
        // Rolled back with its action: nothing recorded.
        try {
            tenantScope.run(tenant.id(), Actor.system("test"), () -> QuarkusTransaction.requiringNew().run(() -> {
                recorder.record(Usage.of(Meter.DATASET_ROWS_INGESTED, 5, "dataset:ds_2:version:1"));
                throw new IllegalStateException("the ingestion failed");
            }));
        } catch (IllegalStateException expected) {
            // the action and its usage rolled back together
        }
        assertEquals(1, ledger.events(tenant.id(), "dataset_rows_ingested"));
    }

    private boolean record(TestTenant tenant, Usage usage) {
        return tenantScope.call(tenant.id(), Actor.system("test"),
                () -> QuarkusTransaction.requiringNew().call(() -> recorder.record(usage)));
    }
}
