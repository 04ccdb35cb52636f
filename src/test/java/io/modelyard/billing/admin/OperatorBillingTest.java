package io.modelyard.billing.admin;

import io.modelyard.billing.ledger.Ledger;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.ledger.UsageAggregator;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators set plans, grant credits, edit plans and list tenants by usage; each change is audited. */
@QuarkusTest
class OperatorBillingTest {

    final TestUser operator = Keycloak.operator();

    @Inject
    UsageAggregator aggregator;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aPlanChangeTakesEffectAtOnceAndIsAudited() {
        TestTenant tenant = TestTenant.signUp("Upgrader");
        String key = tenant.apiKey("read");
        withKey(key).get("/v1/ping").then().statusCode(200).header("RateLimit-Limit", "20");
        operator.api().body(Map.of("plan", "pro", "stripe_customer_id", "cus_Upgrader42"))
                .patch("/v1/admin/billing-accounts/" + tenant.id()).then().statusCode(200)
                .body("plan", equalTo("pro"))
                .body("stripe_customer_id", equalTo("cus_Upgrader42"));
        // The pro plan's buckets (200 per key, 500 per tenant): whichever is closer to empty is reported.
        withKey(key).get("/v1/ping").then().statusCode(200)
                .header("RateLimit-Limit", org.hamcrest.Matchers.oneOf("200", "500"));
        tenant.owner().api().get("/v1/usage").then().body("plan", equalTo("pro"))
                .body("meters.find { it.meter == 'api_requests' }.quota", equalTo("soft"));
        tenant.owner().api().get("/v1/tenants/" + tenant.id()).then().body("plan", equalTo("pro"));
        tenant.owner().api().get("/v1/audit-events?action=billing.plan_changed").then().statusCode(200)
                .body("data[0].actor.type", equalTo("operator"))
                .body("data[0].details.from", equalTo("free"))
                .body("data[0].details.to", equalTo("pro"));
        assertProblem(operator.api().body(Map.of("plan", "platinum"))
                .patch("/v1/admin/billing-accounts/" + tenant.id()), 400, "validation-failed")
                .body("errors[0].field", equalTo("plan"));
        assertProblem(operator.api().get("/v1/admin/billing-accounts/ten_00000000000000000000000000"), 404,
                "not-found");
    }

    @Test
    void quantityCreditsRaiseTheLimitAndMoneyCreditsLowerTheInvoice() {
        TestTenant tenant = TestTenant.signUp("Credited");
        String plan = TestPlans.create(Map.of("api_requests", TestPlans.terms(3, "hard", 3L, 50)),
                1000, 1000, 1000, 1000);
        TestPlans.assign(tenant, plan);
        String key = tenant.apiKey("read"); // the owner's request: one of the three
        withKey(key).get("/v1/ping").then().statusCode(200);
        withKey(key).get("/v1/ping").then().statusCode(200);
        assertProblem(withKey(key).get("/v1/ping"), 402, "quota-exceeded").body("limit", equalTo(3));

        String grant = operator.api().header("Idempotency-Key", "grant-credited-1")
                .body(Map.of("meter", "api_requests", "quantity", 3, "reason", "outage on the 3rd"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits").then().statusCode(201)
                .body("object", equalTo("credit_grant"))
                .body("meter", equalTo("api_requests"))
                .body("quantity", equalTo(3))
                .extract().path("id");
        operator.api().header("Idempotency-Key", "grant-credited-1")
                .body(Map.of("meter", "api_requests", "quantity", 3, "reason", "outage on the 3rd"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits").then().statusCode(201)
                .header("Idempotent-Replayed", "true").body("id", equalTo(grant));
        assertProblem(operator.api().header("Idempotency-Key", "grant-credited-1")
                .body(Map.of("meter", "api_requests", "quantity", 4, "reason", "outage on the 3rd"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits"), 409, "idempotency-key-reused");

        for (int i = 0; i < 3; i++) {
            withKey(key).get("/v1/ping").then().statusCode(200);
        }
        assertProblem(withKey(key).get("/v1/ping"), 402, "quota-exceeded").body("limit", equalTo(6));
        assertProblem(tenant.owner().api().get("/v1/invoices/preview"), 402, "quota-exceeded");

        operator.api().body(Map.of("amount", 700, "reason", "goodwill"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits").then().statusCode(201)
                .body("amount", equalTo(700)).body("currency", equalTo("usd"));
        // 6 requests, 6 included (3 + 3 credited): 0 billed; base 1000 - 700 credit = 300. The owner's quota is
        // spent too (a person's requests count like a key's): read it as an operator.
        aggregator.catchUp();
        String account = "/v1/admin/billing-accounts/" + tenant.id();
        operator.api().get(account + "/invoice-preview").then().statusCode(200)
                .body("line_items.find { it.meter == 'api_requests' }.quantity", equalTo(6))
                .body("line_items.find { it.meter == 'api_requests' }.included", equalTo(6))
                .body("line_items.find { it.meter == 'api_requests' }.billable", equalTo(0))
                .body("subtotal", equalTo(1000))
                .body("credits", equalTo(700))
                .body("total", equalTo(300));
        operator.api().get(account + "/credits").then().statusCode(200)
                .body("data.size()", equalTo(2)).body("data[1].id", equalTo(grant));
        assertEquals(2, new Ledger(schemaOwner).audits(tenant.id(), "billing.credit_granted"));

        assertProblem(operator.api().body(Map.of("meter", "api_requests", "amount", 5, "reason", "both"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits"), 400, "validation-failed");
        assertProblem(operator.api().body(Map.of("amount", 5, "currency", "eur", "reason", "wrong currency"))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits"), 400, "validation-failed");
        assertProblem(operator.api().body(Map.of("meter", "api_requests", "quantity", 5))
                .post("/v1/admin/billing-accounts/" + tenant.id() + "/credits"), 400, "validation-failed");
    }

    @Test
    void operatorsCreateAndEditPlansAndTenantsSeeTheCatalogue() {
        String id = "custom-" + System.nanoTime() % 1_000_000;
        operator.api().body(Map.of("id", id, "display_name", "Custom", "base_price", 5000,
                        "max_upload_bytes", 1000, "storage_cap_bytes", 2000, "max_concurrent_jobs", 3,
                        "rate_limits", Map.of("api_key", Map.of("requests_per_second", 7.5, "burst", 15),
                                "tenant", Map.of("requests_per_second", 20, "burst", 40)),
                        "meters", Map.of("predictions", TestPlans.terms(100, "hard", 150L, 0.05))))
                .post("/v1/admin/plans").then().statusCode(201)
                .body("id", equalTo(id))
                .body("object", equalTo("plan"))
                .body("rate_limits.api_key.requests_per_second", equalTo(7.5f))
                .body("meters.predictions.limit", equalTo(150))
                .body("meters.predictions.unit_price", equalTo("0.05"))
                .body("meters.api_requests.included", equalTo(0));
        assertProblem(operator.api().body(Map.of("id", id, "display_name", "Again", "max_upload_bytes", 1,
                        "storage_cap_bytes", 1, "max_concurrent_jobs", 1,
                        "rate_limits", Map.of("api_key", Map.of("requests_per_second", 1, "burst", 1),
                                "tenant", Map.of("requests_per_second", 1, "burst", 1))))
                .post("/v1/admin/plans"), 409, "plan-exists");
        assertProblem(operator.api().body(Map.of("id", "Bad Name", "display_name", "x")).post("/v1/admin/plans"),
                400, "validation-failed");

        operator.api().body(Map.of("base_price", 4500, "meters",
                        Map.of("predictions", TestPlans.terms(200, "soft", null, 0.04))))
                .patch("/v1/admin/plans/" + id).then().statusCode(200)
                .body("base_price", equalTo(4500))
                .body("max_concurrent_jobs", equalTo(3))
                .body("meters.predictions.quota", equalTo("soft"))
                .body("meters.predictions.limit", equalTo(null));
        assertProblem(operator.api().body(Map.of("meters", Map.of("photons", TestPlans.terms(1, "hard", 1L, 0))))
                .patch("/v1/admin/plans/" + id), 400, "validation-failed");
        assertProblem(operator.api().body(Map.of("base_price", 1)).patch("/v1/admin/plans/nope"), 404, "not-found");
        // A fraction where a whole number goes is refused, naming the field, not rounded down.
        assertProblem(operator.api().body(Map.of("max_upload_bytes", 1.5)).patch("/v1/admin/plans/" + id), 400,
                "validation-failed").body("errors[0].field", equalTo("max_upload_bytes"));
        assertProblem(operator.api().body(Map.of("max_concurrent_jobs", 2.5)).patch("/v1/admin/plans/" + id), 400,
                "validation-failed").body("errors[0].field", equalTo("max_concurrent_jobs"));
        operator.api().get("/v1/admin/plans/" + id).then().statusCode(200).body("max_concurrent_jobs", equalTo(3));

        TestTenant tenant = TestTenant.signUp("Shopper");
        tenant.owner().api().get("/v1/plans").then().statusCode(200)
                .body("data.id", hasItem("free"))
                .body("data.id", hasItem("enterprise"))
                .body("data.id", hasItem(id));
        tenant.owner().api().get("/v1/plans/" + id).then().statusCode(200).body("base_price", equalTo(4500));
        TestPlans.assign(tenant, id);
        tenant.owner().api().get("/v1/usage").then()
                .body("meters.find { it.meter == 'predictions' }.included", equalTo(200));
    }

    @Test
    void operatorsListTenantsByUsage() {
        TestTenant busy = TestTenant.signUp("Busy");
        TestTenant quiet = TestTenant.signUp("Quiet");
        TestPlans.assign(busy, TestPlans.unlimited());
        String busyKey = busy.apiKey("read");
        String quietKey = quiet.apiKey("read");
        for (int i = 0; i < 12; i++) {
            withKey(busyKey).get("/v1/ping").then().statusCode(200);
        }
        withKey(quietKey).get("/v1/ping").then().statusCode(200);
        aggregator.catchUp();
        List<String> order = operator.api().get("/v1/admin/usage?meter=api_requests&limit=100").then()
                .statusCode(200).extract().path("data.tenant_id");
        assertTrue(order.indexOf(busy.id()) >= 0 && order.indexOf(busy.id()) < order.indexOf(quiet.id()),
                order.toString());
        List<Number> used = operator.api().get("/v1/admin/usage?limit=100").then().extract().path("data.used");
        for (int i = 1; i < used.size(); i++) {
            assertTrue(used.get(i - 1).doubleValue() >= used.get(i).doubleValue(), "most first: " + used);
        }
        // Paging by cursor walks the same order without repeats.
        List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var page = operator.api().queryParam("limit", 2).queryParam("after", cursor == null ? "" : cursor)
                    .get("/v1/admin/usage").then().statusCode(200).extract();
            paged.addAll(page.path("data.tenant_id"));
            cursor = page.path("next_cursor");
        } while (cursor != null);
        assertEquals(order, paged.subList(0, Math.min(order.size(), paged.size())));
        operator.api().get("/v1/admin/billing-accounts/" + busy.id() + "/usage").then().statusCode(200)
                .body("meters.find { it.meter == 'api_requests' }.used", equalTo(12 + 1)); // and the owner's key
        operator.api().get("/v1/admin/billing-accounts/" + busy.id() + "/invoice-preview").then().statusCode(200)
                .body("tenant_id", equalTo(busy.id()));
        operator.api().get("/v1/admin/usage?meter=predictions").then().statusCode(200)
                .body("data.tenant_id", not(hasItem(busy.id())));
        assertProblem(operator.api().get("/v1/admin/usage?meter=photons"), 400, "validation-failed");
    }
}
