package io.modelyard.billing.statements;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.modelyard.billing.ledger.UsageAggregator;
import io.modelyard.common.PlatformClock;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Periods roll over on the first of the month, UTC: quotas reset and a new invoice starts. */
@QuarkusTest
class PeriodRolloverTest {

    @Inject
    PlatformClock clock;

    @Inject
    UsageAggregator aggregator;

    private final TestUser operator = Keycloak.operator();

    @AfterEach
    void realTime() {
        clock.use(Clock.systemUTC());
    }

    @Test
    void theFirstOfTheMonthResetsHardQuotasAndStartsANewInvoice() {
        TestTenant tenant = TestTenant.signUp("Month end");
        String plan = TestPlans.create(Map.of("api_requests", TestPlans.terms(2, "hard", 3L, 10)),
                1000, 1000, 1000, 1000);
        TestPlans.assign(tenant, plan);
        String key = tenant.apiKey("read");

        clock.use(Clock.fixed(Instant.parse("2031-01-31T23:59:30Z"), ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            withKey(key).get("/v1/ping").then().statusCode(200);
        }
        assertProblem(withKey(key).get("/v1/ping"), 402, "quota-exceeded")
                .body("meter", equalTo("api_requests"))
                .body("limit", equalTo(3))
                .body("used", equalTo(3))
                .body("resets_at", equalTo("2031-02-01T00:00:00Z"));

        clock.use(Clock.fixed(Instant.parse("2031-02-01T00:00:05Z"), ZoneOffset.UTC));
        withKey(key).get("/v1/ping").then().statusCode(200);
        aggregator.catchUp();

        // Read as an operator: the owner's own calls would count against February's small quota.
        String account = "/v1/admin/billing-accounts/" + tenant.id();
        operator.api().get(account + "/usage").then().statusCode(200)
                .body("period", equalTo("2031-02"))
                .body("resets_at", equalTo("2031-03-01T00:00:00Z"))
                .body("meters.find { it.meter == 'api_requests' }.used", equalTo(1))
                .body("meters.find { it.meter == 'api_requests' }.remaining", equalTo(2));
        operator.api().get(account + "/usage?period=2031-01").then().statusCode(200)
                .body("meters.find { it.meter == 'api_requests' }.used", equalTo(3));

        // January: 3 requests, 2 included, 1 billed at 10 minor units, plus the plan's base price.
        operator.api().get(account + "/invoice-preview?period=2031-01").then().statusCode(200)
                .body("status", equalTo("closed"))
                .body("period_start", equalTo("2031-01-01T00:00:00Z"))
                .body("period_end", equalTo("2031-02-01T00:00:00Z"))
                .body("line_items.find { it.meter == 'api_requests' }.quantity", equalTo(3))
                .body("line_items.find { it.meter == 'api_requests' }.included", equalTo(2))
                .body("line_items.find { it.meter == 'api_requests' }.billable", equalTo(1))
                .body("line_items.find { it.meter == 'api_requests' }.unit_price", equalTo("10"))
                .body("line_items.find { it.meter == 'api_requests' }.amount", equalTo(10))
                .body("base_price", equalTo(1000))
                .body("total", equalTo(1010));
        operator.api().get(account + "/invoice-preview").then().statusCode(200)
                .body("period", equalTo("2031-02"))
                .body("status", equalTo("open"))
                .body("line_items.find { it.meter == 'api_requests' }.quantity", equalTo(1))
                .body("line_items.find { it.meter == 'api_requests' }.amount", equalTo(0))
                .body("total", equalTo(1000));
        tenant.owner().api().get("/v1/usage/daily?from=2031-01-31&to=2031-02-01&meter=api_requests").then()
                .statusCode(200)
                .body("data", hasSize(2))
                .body("data[0].start", equalTo("2031-01-31T00:00:00Z"))
                .body("data[0].quantity", equalTo(3))
                .body("data[1].start", equalTo("2031-02-01T00:00:00Z"))
                .body("data[1].quantity", equalTo(1));
        assertProblem(operator.api().get(account + "/invoice-preview?period=2031-03"), 400, "validation-failed");
    }
}
