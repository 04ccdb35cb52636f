package io.modelyard.common;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperabilityTest {

    @Test
    void readinessChecksTheDatabase() {
        // A worker (role all, here) is ready once its engine has loaded, a few seconds after start.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        RestAssured.get("/v1/ping").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theOpenApiDocumentDescribesOperationsWithTheirErrors() {
        RestAssured.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/api-keys'.post.summary", notNullValue())
                .body("paths.'/v1/api-keys'.post.responses.'403'.description", notNullValue())
                .body("paths.'/v1/tenants'.post.requestBody.content.'application/json'.examples", notNullValue())
                .body("paths.'/v1/members/{id}'.patch.responses.'409'", notNullValue())
                .body("paths.'/v1/admin/tenants/{id}/suspend'.post.summary", notNullValue());
        RestAssured.get("/q/swagger-ui/").then().statusCode(200);
    }
}
