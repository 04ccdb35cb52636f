package io.modelyard.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.job.JobTestProfile;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A running job whose compute passes its hold (the estimate) by the margin is stopped with a clear error, and
 * charged for what it used. The profile scales estimates down to about a second and sets no margin.
 */
@QuarkusTest
@TestProfile(JobTestProfile.class)
class TrainingHoldTest {

    @Test
    void aJobPassingItsHoldIsStoppedWithAClearErrorAndChargedForWhatItUsed() {
        TestTenant tenant = TestTenant.signUp("Overrunner");
        String version = Datasets.upload(tenant.owner().api(), "Topics", "text_classification",
                GeneratedData.topics(400, 31));
        Map<String, Object> longRun = new HashMap<>(TrainingJobs.TINY);
        longRun.put("epochs", 300);
        long estimate = ((Number) tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters",
                longRun, "dry_run", true)).post("/v1/training-jobs").then().statusCode(200).extract()
                .path("estimated_compute_seconds")).longValue();
        String job = TrainingJobs.start(tenant.owner().api(), Map.of("dataset_version_id", version,
                "hyperparameters", longRun));

        JsonPath done = TrainingJobs.awaitFinished(() -> tenant.owner().api(), job, Duration.ofMinutes(3));
        assertEquals("failed", done.getString("state"));
        assertEquals("compute_limit_exceeded", done.getString("error.code"));
        String message = done.getString("error.message");
        assertTrue(message.contains("the " + estimate + " s of training_cpu_seconds held for it")
                && message.contains("dry_run"), message);
        BigDecimal charged = new BigDecimal(done.getString("compute.charged_seconds"));
        assertTrue(charged.compareTo(BigDecimal.valueOf(estimate)) > 0, "charged what it used: " + charged);
        assertEquals(1, done.getInt("attempt"), "not retried");
        tenant.owner().api().get("/v1/models").then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
