package io.modelyard.common;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What operators scrape and probe: the platform's Prometheus metrics appear once there is activity, with bounded
 * labels and histograms; the Grafana dashboard asks only for metrics that exist; readiness covers the blob store
 * and, in a worker role, the engine.
 */
@QuarkusTest
class MetricsAndReadinessTest {

    @Inject
    ModelFixtures fixtures;

    @Test
    void activityShowsUpInTheMetricsTheDashboardReads() throws IOException {
        TestTenant tenant = TestTenant.signUp("Metrics Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String key = tenant.apiKey("read", "datasets:write", "jobs:write", "predict");

        // A prediction: a cache miss (the load), then a hit, each timed under its model's label.
        String model = fixtures.register(tenant.id(), "metrics-topics", TrainedModels.topics());
        for (int i = 0; i < 2; i++) {
            TestTenant.withKey(key).body(Map.of("inputs", List.of("the striker scored a goal")))
                    .post("/v1/models/" + model + "/predict").then().statusCode(200);
        }
        // A tiny training job: a run duration and a throughput.
        String version = TestTenant.withKey(key).contentType("text/csv").body(GeneratedData.topics(120, 3))
                .post("/v1/datasets?name=metrics&task=text_classification").then().statusCode(201)
                .extract().path("latest_version.id");
        String job = TestTenant.withKey(key).body(Map.of("dataset_version_id", version, "hyperparameters",
                        Map.of("epochs", 1, "embedding_size", 8, "hidden_size", 8, "vocabulary_size", 200)))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> "succeeded".equals(
                TestTenant.withKey(key).get("/v1/training-jobs/" + job).then().extract().path("state")));
        // A refusal: a plan with one request per second and a burst of one.
        TestPlans.assign(tenant, TestPlans.rateLimited(0.01, 1, 100, 100));
        String limited = tenant.apiKey("read");
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            refused += TestTenant.withKey(limited).get("/v1/datasets").statusCode() == 429 ? 1 : 0;
        }
        assertTrue(refused > 0, "the plan's rate limit refused something");

        String metrics = await().atMost(Duration.ofSeconds(20)).until(MetricsAndReadinessTest::scrape,
                text -> text.contains("modelyard_jobs_queue_depth{") && text.contains("modelyard_jobs_run_seconds_bucket"));
        // Labelled with its id, or "other" when earlier tests' models hold the test profile's 3 labels.
        assertThat(metrics, matchesPattern("(?s).*modelyard_prediction_seconds_bucket\\{[^}]*model=\"(" + model
                + "|other)\"[^}]*outcome=\"ok\".*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_serving_cache_lookups_total\\{result=\"miss\"} [1-9].*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_serving_cache_lookups_total\\{result=\"hit\"} [1-9].*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_jobs_run_seconds_count\\{outcome=\"succeeded\",type=\"train\"} [1-9].*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_training_samples_per_second_count\\{architecture=\"bag_of_embeddings\",device=\"cpu\"} [1-9].*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_jobs_queue_depth\\{state=\"queued\",type=\"train\"} .*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_jobs_queue_oldest_age_seconds\\{state=\"running\",type=\"train\"} .*"));
        assertThat(metrics, matchesPattern("(?s).*modelyard_billing_refusals_total\\{meter=\"api_requests\",reason=\"rate_limited\"} [1-9].*"));

        // Every metric the Grafana dashboard queries is one the platform exposes.
        String dashboard = Files.readString(Path.of("helm/modelyard/dashboards/modelyard.json"));
        Matcher names = Pattern.compile("modelyard_[a-z_]+").matcher(dashboard);
        TreeSet<String> missing = new TreeSet<>();
        while (names.find()) {
            if (!metrics.contains("\n" + names.group() + "{") && !metrics.contains("\n" + names.group() + " ")) {
                missing.add(names.group());
            }
        }
        assertEquals(new TreeSet<>(), missing, "metrics the dashboard reads that /q/metrics does not have");
    }

    @Test
    void predictionLatencyLabelsAreBounded() {
        TestTenant tenant = TestTenant.signUp("Labels Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String key = tenant.apiKey("predict");
        // The test profile keeps 3 model labels per process: a fourth model onwards counts as "other" (the earlier
        // test's model may already hold a label; either way no more than 3 model ids are ever labelled).
        for (int i = 0; i < 5; i++) {
            String model = fixtures.register(tenant.id(), "labels-" + i, TrainedModels.topics());
            TestTenant.withKey(key).body(Map.of("inputs", List.of("a vote in parliament")))
                    .post("/v1/models/" + model + "/predict").then().statusCode(200);
        }
        String metrics = scrape();
        Matcher labels = Pattern.compile("modelyard_prediction_seconds_count\\{[^}]*model=\"([^\"]+)\"").matcher(metrics);
        TreeSet<String> models = new TreeSet<>();
        while (labels.find()) {
            models.add(labels.group(1));
        }
        assertTrue(models.contains("other"), models.toString());
        assertTrue(models.stream().filter(m -> m.startsWith("mdl_")).count() <= 3, models.toString());
    }

    @Test
    void readinessCoversTheBlobStoreAndTheEngine() {
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .statusCode(200));
        String ready = RestAssured.get("/q/health/ready").asString();
        assertThat(ready, containsString("\"Blob store\""));
        // The schema check: this process migrated at start, so the database is as new as the build.
        assertThat(ready, matchesPattern("(?s).*\"Database schema\",\\s*\"status\": *\"UP\".*"));
        assertThat(ready, matchesPattern("(?s).*\"Training and inference engine\".*\"device\": *\"cpu\".*"));
    }

    private static String scrape() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
