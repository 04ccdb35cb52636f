package io.modelyard.billing.metering;

import io.modelyard.billing.ledger.Ledger;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * Token buckets per API key (or person) and per tenant, shared by every process: 429 with Retry-After and RateLimit
 * headers, and the way back.
 */
@QuarkusTest
class RateLimitTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void successfulCallsCarryTheBucketAndTheRefusedOneSaysWhenToRetry() throws InterruptedException {
        TestTenant tenant = TestTenant.signUp("Bursty");
        TestPlans.assign(tenant, TestPlans.rateLimited(0.25, 3, 1000, 1000));
        String key = tenant.apiKey("read"); // (the owner has a bucket of their own)

        for (int remaining = 2; remaining >= 0; remaining--) {
            Response ok = withKey(key).get("/v1/ping");
            ok.then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", Integer.toString(remaining))
                    .header("RateLimit-Reset", notNullValue());
        }
        Response refused = withKey(key).get("/v1/ping");
        assertProblem(refused, 429, "rate-limited")
                .header("RateLimit-Limit", "3")
                .header("RateLimit-Remaining", "0")
                .body("retry_after", equalTo(Integer.parseInt(refused.header("Retry-After"))));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        long reset = Long.parseLong(refused.header("RateLimit-Reset"));
        // One token comes back every 4 s; the bucket is full again after about 3 tokens, 12 s.
        assertTrue(retryAfter >= 1 && retryAfter <= 4, "Retry-After " + retryAfter);
        assertTrue(reset >= 8 && reset <= 12, "RateLimit-Reset " + reset);

        Thread.sleep(retryAfter * 1000);
        withKey(key).get("/v1/ping").then().statusCode(200).header("RateLimit-Remaining", "0");
    }

    @Test
    void theTenantsBucketIsSharedByItsKeys() {
        TestTenant tenant = TestTenant.signUp("Many keys");
        String one = tenant.apiKey("read");
        String two = tenant.apiKey("read");
        // (the owner's own requests take from the tenant's bucket too: plan after the keys)
        TestPlans.assign(tenant, TestPlans.rateLimited(1000, 1000, 0.2, 4));
        withKey(one).get("/v1/ping").then().statusCode(200).header("RateLimit-Limit", "4")
                .header("RateLimit-Remaining", "3");
        withKey(two).get("/v1/ping").then().statusCode(200).header("RateLimit-Remaining", "2");
        withKey(one).get("/v1/ping").then().statusCode(200).header("RateLimit-Remaining", "1");
        withKey(two).get("/v1/ping").then().statusCode(200).header("RateLimit-Remaining", "0");
        Response refused = withKey(one).get("/v1/ping");
        assertProblem(refused, 429, "rate-limited").header("RateLimit-Limit", "4");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 3 && retryAfter <= 5, "one token per 5 s: Retry-After " + retryAfter);
        assertProblem(withKey(two).get("/v1/ping"), 429, "rate-limited");

        // Another tenant is not affected.
        TestTenant other = TestTenant.signUp("Neighbour");
        withKey(other.apiKey("read")).get("/v1/ping").then().statusCode(200);
    }

    @Test
    void peopleAreRateLimitedAndCountedLikeKeys() {
        TestTenant tenant = TestTenant.signUp("Portal users");
        TestPlans.assign(tenant, TestPlans.rateLimited(0.1, 3, 1000, 1000));
        TestUser member = tenant.addMember("member"); // the owner's invitation takes one token of three
        Response first = tenant.owner().api().get("/v1/members");
        first.then().statusCode(200).header("RateLimit-Limit", "3").header("RateLimit-Remaining", "1");
        tenant.owner().api().get("/v1/members").then().statusCode(200).header("RateLimit-Remaining", "0");
        Response refused = tenant.owner().api().get("/v1/members");
        assertProblem(refused, 429, "rate-limited").header("RateLimit-Limit", "3");
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);

        // Another member has a bucket of their own, and the person's calls are in the ledger as theirs.
        member.api().get("/v1/members").then().statusCode(200).header("RateLimit-Limit", "3");
        assertTrue(ledger().number("select count(*) from usage_events where tenant_id = ? and meter = 'api_requests'"
                + " and source = ?", tenant.id(), "user:" + tenant.owner().subject()).longValue() >= 2);
    }

    @Test
    void aRaisedPlanEndsARefusalAtOnce() throws InterruptedException {
        TestTenant tenant = TestTenant.signUp("Upgrading");
        String key = tenant.apiKey("read");
        TestPlans.assign(tenant, TestPlans.rateLimited(0.1, 1, 1000, 1000));
        withKey(key).get("/v1/ping").then().statusCode(200).header("RateLimit-Limit", "1");
        Response refused = withKey(key).get("/v1/ping");
        assertProblem(refused, 429, "rate-limited");
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 5, "one token per 10 s");

        // The tenant upgrades well inside the refusal's 10 s. Once a request is judged by the new plan (its
        // header says so), it is served: the refusal remembered under the old plan no longer stands.
        TestPlans.assign(tenant, TestPlans.rateLimited(1000, 1000, 1000, 1000));
        Response judged = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            judged = withKey(key).get("/v1/ping");
            if ("1000".equals(judged.header("RateLimit-Limit"))) {
                break;
            }
            Thread.sleep(100); // the plan change reaches this process's cache by notification
        }
        assertEquals("1000", judged.header("RateLimit-Limit"), "the new plan applies within 5 s");
        assertEquals(200, judged.statusCode(), "served under the new plan: " + judged.asString());
    }

    private Ledger ledger() {
        return new Ledger(schemaOwner);
    }
}
