package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.PlatformProcess;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One jar, several roles, each a real process started from the packaged application. */
class DeploymentRoleIT {

    @Test
    void theApiRoleServesTheApiWithoutLoadingPyTorch() {
        try (PlatformProcess api = PlatformProcess.start("api", Map.of()).awaitReady(Duration.ofSeconds(90))) {
            RestAssured.get(api.url("/v1/ping")).then().statusCode(200);
            RestAssured.get(api.url("/q/health/ready")).then().statusCode(200);
            RestAssured.get(api.url("/v1/members")).then().statusCode(401);

            List<String> djl = api.loadedClasses().stream()
                    .filter(c -> c.startsWith("ai.djl.") || c.startsWith("io.modelyard.ml."))
                    .toList();
            assertEquals(List.of(), djl, "the api role loaded machine-learning classes");
            assertFalse(api.nativeMappings().contains("libtorch"), "the api role mapped libtorch");
            assertTrue(api.loadedClasses().contains("io.modelyard.tenant.TenantResolutionFilter"),
                    "the class log is real: it shows the API's own classes");
        }
    }

    @Test
    void aWorkerServesNoPublicApi() {
        try (PlatformProcess worker = PlatformProcess.start("worker", Map.of()).awaitReady(Duration.ofSeconds(90))) {
            RestAssured.get(worker.url("/v1/ping")).then().statusCode(404)
                    .contentType("application/problem+json");
            RestAssured.get(worker.url("/q/health/live")).then().statusCode(200);
        }
    }

    @Test
    void theMigrateRoleMigratesAndExits() {
        try (PlatformProcess migrate = PlatformProcess.start("migrate", Map.of())) {
            assertEquals(0, migrate.awaitExit(Duration.ofSeconds(90)), migrate.output());
            assertTrue(migrate.output().contains("migrations are up to date"), migrate.output());
        }
    }
}
