package io.modelyard.billing.metering;

import io.modelyard.billing.ledger.Ledger;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.Period;
import io.modelyard.billing.ledger.UsageAggregator;
import io.modelyard.common.PlatformClock;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Exact reconciliation: clients race to the last units of a hard quota; the ledger holds exactly one event per
 * successful call and no call succeeds past the quota. The owner's own calls count too (a person's requests are
 * metered like a key's), so each test starts from what the ledger already holds, and reads what the owner can no
 * longer read over the API (their quota is spent too) from the database and as an operator.
 */
@QuarkusTest
class QuotaReconciliationTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    PlatformClock clock;

    @Inject
    UsageAggregator aggregator;

    @Test
    void thirtyTwoClientsRacingToTheLastRequestsGetExactlyTheQuota() throws Exception {
        int limit = 150;
        TestTenant tenant = TestTenant.signUp("Racing readers");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", limit));
        String key = tenant.apiKey("read");
        Ledger ledger = new Ledger(schemaOwner);
        long before = ledger.events(tenant.id(), "api_requests");

        Race race = race(32, () -> withKey(key).get("/v1/ping"));

        assertEquals(List.of(), List.copyOf(race.unexpected), "only 200 and 402 answers");
        assertEquals(limit - before, race.succeeded.get(), "successful calls");
        assertEquals(limit, ledger.events(tenant.id(), "api_requests"), "ledger events");
        aggregator.catchUp();
        assertEquals(0, BigDecimal.valueOf(limit).compareTo(ledger.used(tenant.id(), "api_requests")), "counter");
        assertEquals(limit, ledger.hourlyEvents(tenant.id(), "api_requests"), "hourly roll-up");
        assertEquals(limit, ledger.dailyEvents(tenant.id(), "api_requests"), "daily roll-up");

        Response refused = withKey(key).get("/v1/ping");
        assertProblem(refused, 402, "quota-exceeded")
                .body("meter", equalTo("api_requests"))
                .body("limit", equalTo(limit))
                .body("resets_at", equalTo(Period.of(clock.now()).end().toString()));
        assertProblem(tenant.owner().api().get("/v1/usage"), 402, "quota-exceeded");
        Keycloak.operator().api().get("/v1/admin/billing-accounts/" + tenant.id() + "/usage").then().statusCode(200)
                .body("meters.find { it.meter == 'api_requests' }.used", equalTo(limit))
                .body("meters.find { it.meter == 'api_requests' }.remaining", equalTo(0))
                .body("meters.find { it.meter == 'api_requests' }.quota", equalTo("hard"))
                .body("durability", equalTo("durable"))
                .body("aggregated_at", notNullValue());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ledger.audits(tenant.id(), "quota.exceeded") > 0);
        assertEquals("api_requests", ledger.auditDetail(tenant.id(), "quota.exceeded", "meter"));
        assertEquals(Integer.toString(limit), ledger.auditDetail(tenant.id(), "quota.exceeded", "limit"));
    }

    @Test
    void stateChangingCallsReserveFirstSoNoneIsMadeAndThenRefused() throws Exception {
        int limit = 40;
        TestTenant tenant = TestTenant.signUp("Racing writers");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", limit));
        String adminKey = tenant.apiKey("admin");
        AtomicInteger n = new AtomicInteger();
        Ledger ledger = new Ledger(schemaOwner);
        long before = ledger.events(tenant.id(), "api_requests");

        Race race = race(16, () -> withKey(adminKey)
                .body(Map.of("name", "raced " + n.incrementAndGet(), "scopes", List.of("read")))
                .post("/v1/api-keys"));

        assertEquals(List.of(), List.copyOf(race.unexpected), "only 201 and 402 answers");
        assertEquals(limit - before, race.succeeded.get(), "successful calls");
        assertEquals(limit - before + 1, ledger.apiKeys(tenant.id()),
                "a key per successful call, besides the caller's own");
        assertEquals(limit, ledger.events(tenant.id(), "api_requests"));
        aggregator.catchUp();
        assertEquals(0, ledger.reserved(tenant.id(), "api_requests").signum(), "no capacity left held");
        assertEquals(0, ledger.reservations(tenant.id()));
    }

    @Test
    void readsAndWritesRacingTogetherStillStopExactlyAtTheQuota() throws Exception {
        int limit = 120;
        TestTenant tenant = TestTenant.signUp("Mixed traffic");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", limit));
        String adminKey = tenant.apiKey("admin", "read");
        AtomicInteger n = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        Ledger ledger = new Ledger(schemaOwner);
        long before = ledger.events(tenant.id(), "api_requests");

        Race race = race(24, () -> {
            int call = n.incrementAndGet();
            if (call % 3 == 0) {
                Response created = withKey(adminKey)
                        .body(Map.of("name", "mixed " + call, "scopes", List.of("read")))
                        .post("/v1/api-keys");
                if (created.statusCode() == 201) {
                    writes.incrementAndGet();
                }
                return created;
            }
            return withKey(adminKey).get("/v1/ping");
        });

        assertEquals(List.of(), List.copyOf(race.unexpected));
        assertEquals(limit - before, race.succeeded.get(), "successful calls");
        assertTrue(writes.get() > 0);
        assertEquals(writes.get() + 1, ledger.apiKeys(tenant.id()), "a key per successful write");
        assertEquals(limit, ledger.events(tenant.id(), "api_requests"));
        aggregator.catchUp();
        assertEquals(0, ledger.reserved(tenant.id(), "api_requests").signum());
    }

    @Test
    void aFailedCallIsNotCountedAndReleasesWhatItReserved() {
        TestTenant tenant = TestTenant.signUp("Failing calls");
        TestPlans.assign(tenant, TestPlans.hardQuota("api_requests", 5 + 2));
        String adminKey = tenant.apiKey("admin");
        String readKey = tenant.apiKey("read");
        Ledger ledger = new Ledger(schemaOwner);
        assertEquals(2, ledger.events(tenant.id(), "api_requests"), "the owner's two calls");
        assertProblem(withKey(readKey).get("/v1/members/mem_00000000000000000000000000"), 404, "not-found");
        assertProblem(withKey(adminKey).body(Map.of("name", "", "scopes", List.of("read"))).post("/v1/api-keys"),
                400, "validation-failed");
        assertProblem(withKey(readKey).body(Map.of("name", "x", "scopes", List.of("read"))).post("/v1/api-keys"),
                403, "insufficient-scope");
        assertEquals(2, ledger.events(tenant.id(), "api_requests"));
        assertEquals(0, ledger.reservations(tenant.id()));
        for (int i = 0; i < 5; i++) {
            withKey(readKey).get("/v1/ping").then().statusCode(200);
        }
        assertProblem(withKey(readKey).get("/v1/ping"), 402, "quota-exceeded");
    }

    static final class Race {
        final AtomicInteger succeeded = new AtomicInteger();
        final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    }

    /** Every client calls until refused with 402; returns how many calls succeeded. */
    static Race race(int clients, Supplier<Response> call) throws Exception {
        Race race = new Race();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int attempt = 0; attempt < 10_000; attempt++) {
                        Response response = call.get();
                        int status = response.statusCode();
                        if (status == 200 || status == 201) {
                            race.succeeded.incrementAndGet();
                        } else if (status == 402) {
                            return;
                        } else {
                            race.unexpected.add(status + " " + response.asString());
                            return;
                        }
                    }
                }));
            }
            for (Future<?> client : running) {
                client.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(race.succeeded.get() > 0);
        return race;
    }
}
