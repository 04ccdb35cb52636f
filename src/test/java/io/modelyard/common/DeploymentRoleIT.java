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
            // The api role serves the portal: a visitor is sent to Keycloak's sign-in page.
            RestAssured.given().redirects().follow(false).get(api.url("/portal")).then().statusCode(302)
                    .header("Location", org.hamcrest.Matchers.containsString("/protocol/openid-connect/auth"));
            RestAssured.get(api.url("/portal/assets/portal.css")).then().statusCode(200);

            List<String> djl = api.loadedClasses().stream()
                    .filter(c -> c.startsWith("ai.djl.") || c.startsWith("io.modelyard.ml."))
                    .toList();
            assertEquals(List.of(), djl, "the api role loaded machine-learning classes");
            List<String> cli = api.loadedClasses().stream()
                    .filter(c -> c.startsWith("io.modelyard.cli.") || c.startsWith("picocli."))
                    .toList();
            assertEquals(List.of(), cli, "the api role loaded the command-line client");
            assertFalse(api.nativeMappings().contains("libtorch"), "the api role mapped libtorch");
            assertTrue(api.loadedClasses().contains("io.modelyard.tenant.TenantResolutionFilter"),
                    "the class log is real: it shows the API's own classes");
        }
    }

    @Test
    void theCommandLineClientIsNotPartOfTheServer() throws java.io.IOException {
        java.nio.file.Path app = java.nio.file.Path.of(System.getProperty("modelyard.app.jar")).getParent();
        try (var files = java.nio.file.Files.walk(app)) {
            List<String> cli = files.map(java.nio.file.Path::toString)
                    .filter(f -> f.contains("picocli") || f.contains("modelyard/cli") || f.contains("cli-classes"))
                    .toList();
            assertEquals(List.of(), cli, "the packaged server holds the CLI or its library");
        }
        try (var jars = java.nio.file.Files.list(app.resolve("app"))) {
            for (java.nio.file.Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                    assertFalse(zip.stream().anyMatch(e -> e.getName().startsWith("io/modelyard/cli/")),
                            jar + " holds CLI classes");
                }
            }
        }
        assertTrue(java.nio.file.Files.exists(app.getParent().resolve("modelyard-cli.jar")),
                "the CLI is packaged apart, as target/modelyard-cli.jar");
    }

    @Test
    void aWorkerServesNoPublicApiAndNoPortal() {
        try (PlatformProcess worker = PlatformProcess.start("worker", Map.of()).awaitReady(Duration.ofSeconds(90))) {
            RestAssured.get(worker.url("/v1/ping")).then().statusCode(404)
                    .contentType("application/problem+json");
            RestAssured.get(worker.url("/q/health/live")).then().statusCode(200);
            // Nor the portal: no pages, no sign-in, no assets.
            RestAssured.given().redirects().follow(false).get(worker.url("/portal")).then().statusCode(404);
            RestAssured.get(worker.url("/portal/assets/portal.css")).then().statusCode(404);
            RestAssured.get(worker.url("/webjars/htmx.org/2.0.10/dist/htmx.min.js")).then().statusCode(404);
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
