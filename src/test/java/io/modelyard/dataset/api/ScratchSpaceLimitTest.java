package io.modelyard.dataset.api;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Tabular ingests keep a candidate file on local disk, within a budget: past it the upload answers 503 with
 * Retry-After, keeps nothing, and leaves no file behind; text uploads, which need no candidate, still work.
 */
@QuarkusTest
@TestProfile(ScratchSpaceLimitTest.SmallScratch.class)
class ScratchSpaceLimitTest {

    public static class SmallScratch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("modelyard.datasets.scratch-max-bytes", "16K",
                    "modelyard.datasets.work-dir", "target/test-scratch");
        }
    }

    @Test
    void aTabularUploadPastTheScratchBudgetIsRefusedAndLeavesNothing() throws IOException {
        TestTenant tenant = TestTenant.signUp("Small scratch");
        String tabular = GeneratedData.tabularClasses(2000, 5);
        assertProblem(tenant.owner().api().contentType("text/csv").body(tabular)
                .post("/v1/datasets?name=wide&task=tabular_classification&target_column=label"), 503,
                "scratch-space-full").header("Retry-After", "30");
        tenant.owner().api().get("/v1/datasets").then().statusCode(200).body("data", empty());
        try (Stream<Path> left = Files.list(Path.of("target", "test-scratch"))) {
            org.junit.jupiter.api.Assertions.assertEquals(0, left.count(), "no candidate file is left behind");
        }

        // A small tabular set fits; a large text set needs no scratch at all.
        tenant.owner().api().contentType("text/csv").body(GeneratedData.tabularClasses(20, 6))
                .post("/v1/datasets?name=narrow&task=tabular_classification&target_column=label")
                .then().statusCode(201);
        tenant.owner().api().contentType("text/csv").body(GeneratedData.topics(2000, 7))
                .post("/v1/datasets?name=texts&task=text_classification")
                .then().statusCode(201).body("latest_version.row_count", equalTo(2000));
    }
}
