package io.modelyard.billing.metering;

import io.modelyard.billing.ledger.Ledger;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation on real predictions: 32 clients predict against a real model until the hard
 * {@code predictions} quota refuses them; the ledger holds exactly what was answered and never more than the
 * quota, and a refused call carries the meter, limit and reset time.
 */
@QuarkusTest
class PredictionQuotaRaceTest {

    @Inject
    ModelFixtures fixtures;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void thirtyTwoClientsPredictingToTheLastUnitsGetExactlyTheQuota() throws Exception {
        int limit = 120;
        TestTenant tenant = TestTenant.signUp("Racing predictors");
        TestPlans.assign(tenant, TestPlans.hardQuota("predictions", limit));
        String key = tenant.apiKey("predict");
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());

        QuotaReconciliationTest.Race race = QuotaReconciliationTest.race(32, () -> withKey(key)
                .body(Map.of("inputs", List.of("the senate votes on the budget"))).post("/v1/models/" + model
                        + "/predict"));

        assertEquals(List.of(), List.copyOf(race.unexpected), "only successes and 402s");
        assertEquals(limit, race.succeeded.get(), "successful predictions");
        Ledger ledger = new Ledger(schemaOwner);
        assertEquals(limit, ledger.events(tenant.id(), "predictions"), "one usage event per answered request");
        assertEquals(0, BigDecimal.valueOf(limit).compareTo(ledger.quantity(tenant.id(), "predictions")));
        assertEquals(limit, ledger.keyEvents(tenant.id(), "api_requests"), "failed calls are not API requests");

        // A request of two inputs when none are left is refused, naming the meter, the limit and the reset.
        assertProblem(withKey(key).body(Map.of("inputs", List.of("tennis", "physics")))
                .post("/v1/models/" + model + "/predict"), 402, "quota-exceeded")
                .body("meter", equalTo("predictions"))
                .body("limit", equalTo(limit))
                .body("resets_at", org.hamcrest.Matchers.endsWith("-01T00:00:00Z"));
        assertEquals(limit, ledger.events(tenant.id(), "predictions"));
    }
}
