package io.modelyard.billing.statements;

import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger exported for an external biller: CSV, CloudEvents and Stripe meter events. */
@QuarkusTest
class UsageExportTest {

    final TestUser operator = Keycloak.operator();

    @Test
    void everyFormatCarriesEachEventOnceWithAStableIdentifier() {
        TestTenant tenant = TestTenant.signUp("Exported, \"quoted\"");
        TestPlans.assign(tenant, TestPlans.unlimited());
        operator.api().body(Map.of("stripe_customer_id", "cus_Exported1"))
                .patch("/v1/admin/billing-accounts/" + tenant.id()).then().statusCode(200);
        String key = tenant.apiKey("read");
        // The window holds the key's three calls, not the owner's (people's requests are metered too).
        Instant from = Instant.now();
        for (int i = 0; i < 3; i++) {
            withKey(key).get("/v1/ping").then().statusCode(200);
        }
        String range = "from=" + from + "&to=" + Instant.now() + "&tenant_id=" + tenant.id();
        List<String> keys = tenant.owner().api().get("/v1/usage/events").then().statusCode(200)
                .extract().path("data.idempotency_key");

        String csv = operator.api().get("/v1/admin/usage/export?format=csv&" + range).then().statusCode(200)
                .contentType(startsWith("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals("id,tenant_id,meter,quantity,unit,occurred_at,idempotency_key,source,api_key_id,model_id,"
                + "job_id,stripe_customer_id", lines[0]);
        assertEquals(4, lines.length, csv);
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",", -1);
            assertEquals(tenant.id(), fields[1]);
            assertEquals("api_requests", fields[2]);
            assertEquals("1", fields[3]);
            assertTrue(keys.contains(fields[6]), fields[6]);
            assertEquals("cus_Exported1", fields[11]);
        }

        operator.api().get("/v1/admin/usage/export?format=cloudevents&" + range).then().statusCode(200)
                .contentType(startsWith("application/cloudevents-batch+json"))
                .body("$", hasSize(3))
                .body("specversion", everyItem(equalTo("1.0")))
                .body("type", everyItem(equalTo("dev.modelyard.usage.recorded.v1")))
                .body("source", everyItem(equalTo("/modelyard/tenants/" + tenant.id())))
                .body("subject", everyItem(equalTo("api_requests")))
                .body("datacontenttype", everyItem(equalTo("application/json")))
                .body("id", everyItem(startsWith("use_")))
                .body("data.quantity", everyItem(equalTo(1)))
                .body("data.tenant_id", everyItem(equalTo(tenant.id())));

        List<Map<String, Object>> stripe = operator.api().get("/v1/admin/usage/export?format=stripe&" + range)
                .then().statusCode(200)
                .body("$", hasSize(3))
                .body("event_name", everyItem(equalTo("api_requests")))
                .body("payload.stripe_customer_id", everyItem(equalTo("cus_Exported1")))
                .body("payload.value", everyItem(equalTo("1")))
                .extract().path("$");
        for (Map<String, Object> event : stripe) {
            String identifier = (String) event.get("identifier");
            assertTrue(identifier.length() <= 100, identifier);
            assertTrue(keys.contains(identifier.substring(tenant.id().length() + 1)), identifier);
            long timestamp = ((Number) event.get("timestamp")).longValue();
            assertTrue(Math.abs(timestamp - Instant.now().getEpochSecond()) < 120, "unix seconds: " + timestamp);
        }
        // Exporting the window again gives the same identifiers: the biller drops the repeats.
        List<String> again = operator.api().get("/v1/admin/usage/export?format=stripe&" + range).then()
                .extract().path("identifier");
        assertEquals(stripe.stream().map(e -> e.get("identifier")).toList(), again);
    }

    @Test
    void unmappedTenantsGetAPlaceholderCustomerAndLongKeysAreHashed() {
        assertEquals("ten_x/short", UsageExports.stripeIdentifier("ten_x", "short"));
        String hashed = UsageExports.stripeIdentifier("ten_01m8jb1a5n3x2axh57dqhehwrx", "k".repeat(200));
        assertTrue(hashed.startsWith("ten_01m8jb1a5n3x2axh57dqhehwrx/sha256:") && hashed.length() <= 100, hashed);
        assertEquals("\"a,b\"", UsageExports.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", UsageExports.csvField("say \"hi\""));

        TestTenant tenant = TestTenant.signUp("Unmapped");
        String key = tenant.apiKey("read");
        Instant from = Instant.now();
        withKey(key).get("/v1/ping").then().statusCode(200);
        operator.api().get("/v1/admin/usage/export?format=stripe&tenant_id=" + tenant.id() + "&from=" + from)
                .then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].payload.stripe_customer_id", equalTo("unmapped_" + tenant.id()));
        operator.api().get("/v1/admin/usage/export?format=xml").then().statusCode(400);
    }
}
