package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.dataset.DatasetVersions;
import io.modelyard.dataset.TrainingDataset;
import io.modelyard.dataset.split.Split;
import io.modelyard.dataset.version.VersionReader;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.SimultaneousRequests;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading versions back: rows page by page, downloads, reproducible splits, training's entry point, delete. */
@QuarkusTest
class DatasetReadingTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    DatasetVersions versions;

    @Inject
    TenantScope tenantScope;

    /** 600 distinct rows, labels 60% a, 30% b, 10% c. */
    static String labelled() {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 600; i++) {
            int roll = i % 10;
            csv.append("sample text number ").append(i).append(',').append(roll < 6 ? "a" : roll < 9 ? "b" : "c")
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void rowsPageThroughAVersionWithTheirSplits() {
        TestTenant tenant = TestTenant.signUp("Pages");
        String version = uploadCsv(tenant, labelled(), "task", "text_classification").then().statusCode(201)
                .extract().path("latest_version.id");
        JsonPath first = as(tenant).queryParam("limit", 250).get("/v1/dataset-versions/" + version + "/rows")
                .then().statusCode(200).body("object", equalTo("list")).body("columns", equalTo(List.of("text",
                        "label")))
                .body("data", hasSize(250)).body("has_more", equalTo(true)).body("next_offset", equalTo(250))
                .body("data[0].index", equalTo(0)).body("data[0].values.text", equalTo("sample text number 0"))
                .body("data[0].values.label", equalTo("a"))
                .extract().jsonPath();
        assertTrue(List.of("train", "validation", "test").contains(first.getString("data[0].split")));
        as(tenant).queryParam("offset", 500).queryParam("limit", 250).get("/v1/dataset-versions/" + version + "/rows")
                .then().statusCode(200).body("data", hasSize(100)).body("has_more", equalTo(false))
                .body("next_offset", nullValue()).body("data[0].index", equalTo(500));
        assertProblem(as(tenant).queryParam("limit", 5000).get("/v1/dataset-versions/" + version + "/rows"), 400,
                "validation-failed");
        assertProblem(as(tenant).queryParam("offset", -1).get("/v1/dataset-versions/" + version + "/rows"), 400,
                "validation-failed");
    }

    @Test
    void theSameSeedGivesTheSameSplitsAndClassesAreStratified() {
        TestTenant tenant = TestTenant.signUp("Splits");
        Map<String, String> one = splits(tenant, uploadSeed(tenant, 7));
        Map<String, String> two = splits(tenant, uploadSeed(tenant, 7));
        Map<String, String> other = splits(tenant, uploadSeed(tenant, 8));
        assertEquals(one, two, "same rows, same seed: same splits");
        assertNotEquals(one, other, "another seed draws other splits");
        // Stratified: every label's share of each split is within one row of exact (80/10/10).
        Map<String, Map<String, Integer>> byLabel = new HashMap<>();
        one.forEach((text, split) -> {
            String label = labelOf(text);
            byLabel.computeIfAbsent(label, l -> new HashMap<>()).merge(split, 1, Integer::sum);
        });
        Map<String, Double> shares = Map.of("train", 0.8, "validation", 0.1, "test", 0.1);
        byLabel.forEach((label, counts) -> {
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            shares.forEach((split, share) -> assertTrue(Math.abs(counts.getOrDefault(split, 0) - share * total) <= 1.0,
                    label + " " + split + ": " + counts + " of " + total));
        });
    }

    private static String labelOf(String text) {
        int i = Integer.parseInt(text.substring("sample text number ".length()));
        int roll = i % 10;
        return roll < 6 ? "a" : roll < 9 ? "b" : "c";
    }

    private static String uploadSeed(TestTenant tenant, int seed) {
        return uploadCsv(tenant, labelled(), "task", "text_classification", "split_seed", seed).then()
                .statusCode(201).extract().path("latest_version.id");
    }

    private static Map<String, String> splits(TestTenant tenant, String version) {
        List<Map<String, Object>> rows = as(tenant).queryParam("limit", 1000)
                .get("/v1/dataset-versions/" + version + "/rows").then().statusCode(200).extract().path("data");
        Map<String, String> splits = new HashMap<>();
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, String> values = (Map<String, String>) row.get("values");
            splits.put(values.get("text"), (String) row.get("split"));
        }
        assertEquals(600, splits.size());
        return splits;
    }

    @Test
    void csvDownloadsEscapeFormulaCellsAndJsonLinesKeepNumbers() {
        TestTenant tenant = TestTenant.signUp("Downloads");
        String csv = "text,label\n"
                + "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",pos\n"
                + "+cmd|' /C calc'!A0,neg\n"
                + "-2+3,pos\n"
                + "@SUM(A1:A2),neg\n"
                + "plain text,pos\n";
        String version = uploadCsv(tenant, csv, "task", "text_classification", "whitespace", "keep")
                .then().statusCode(201).extract().path("latest_version.id");
        String body = as(tenant).get("/v1/dataset-versions/" + version + "/download")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString(".csv"))
                .extract().asString();
        assertTrue(body.startsWith("text,label,split\n"), body);
        assertTrue(body.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), body);
        assertTrue(body.contains("'+cmd|' /C calc'!A0"), body);
        assertTrue(body.contains("'-2+3"), body);
        assertTrue(body.contains("'@SUM(A1:A2)"), body);
        assertTrue(body.contains("\nplain text,pos,"), body);
        String jsonl = as(tenant).queryParam("format", "jsonl").get("/v1/dataset-versions/" + version + "/download")
                .then().statusCode(200).contentType(containsString("application/x-ndjson")).extract().asString();
        assertEquals(5, jsonl.lines().count());
        assertTrue(jsonl.lines().allMatch(l -> l.startsWith("{\"text\":") && l.contains("\"split\":")), jsonl);
        assertTrue(jsonl.contains("\"text\":\"=HYPERLINK("), "JSON Lines carry values as they are");
        assertProblem(as(tenant).queryParam("format", "xlsx").get("/v1/dataset-versions/" + version + "/download"),
                400, "validation-failed");
    }

    @Test
    void trainingLoadsAVersionByIdWithItsColumnsClassesAndSplits() throws Exception {
        TestTenant tenant = TestTenant.signUp("Training");
        String version = uploadCsv(tenant, labelled(), "task", "text_classification").then().statusCode(201)
                .extract().path("latest_version.id");
        TrainingDataset data = tenantScope.call(tenant.id(), Actor.system("test"), () -> versions.forTraining(version));
        assertEquals("text", data.textColumn().name());
        assertEquals(0, data.textColumn().index());
        assertEquals("label", data.output().name());
        assertEquals(List.of("a", "b", "c"), data.labels());
        assertEquals(600, data.rowCount());
        List<Split> seen = new ArrayList<>();
        try (VersionReader rows = versions.openRows(data)) {
            while (rows.next()) {
                seen.add(rows.split());
            }
        }
        assertEquals(600, seen.size());
        assertEquals(data.splits().train(), seen.stream().filter(s -> s == Split.TRAIN).count());
        TestTenant other = TestTenant.signUp("Not yours");
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.modelyard.common.ProblemException.class,
                () -> tenantScope.call(other.id(), Actor.system("test"), () -> versions.forTraining(version)));
        assertEquals(404, e.status());
    }

    @Test
    void deletingRemovesRowsAndBlobsUnlessAJobUsesIt() throws Exception {
        TestTenant tenant = TestTenant.signUp("Deletes");
        JsonPath created = uploadCsv(tenant, labelled(), "task", "text_classification").then().statusCode(201)
                .extract().jsonPath();
        String id = created.getString("id");
        String version = created.getString("latest_version.id");
        assertEquals(2, DatasetFixture.blobs(tenant.id()).size());
        // A training job on the version: deleting its data under it is refused until the job is over.
        String job = as(tenant).contentType("application/json").body(java.util.Map.of("dataset_version_id", version,
                "hyperparameters", java.util.Map.of("epochs", 500, "embedding_size", 8, "max_sequence_length", 8)))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        assertProblem(as(tenant).delete("/v1/datasets/" + id), 409, "dataset-in-use")
                .body("job_id", equalTo(job));
        as(tenant).contentType("application/json").post("/v1/training-jobs/" + job + "/cancel").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> "cancelled".equals(
                as(tenant).get("/v1/training-jobs/" + job).then().extract().path("state")));
        assertEquals(2, DatasetFixture.blobs(tenant.id()).size());
        as(tenant).delete("/v1/datasets/" + id).then().statusCode(204);
        assertProblem(as(tenant).get("/v1/datasets/" + id), 404, "not-found");
        assertProblem(as(tenant).get("/v1/dataset-versions/" + version), 404, "not-found");
        assertEquals(List.of(), DatasetFixture.blobs(tenant.id()));
        DatasetFixture db = new DatasetFixture(schemaOwner);
        assertEquals(0, db.rows("dataset_versions", tenant.id()));
        assertEquals(1, db.count("select count(*) from audit_events where tenant_id = ? and action = 'dataset.deleted'"
                + " and target_id = ?", tenant.id(), id));
    }
    @Test
    void aDatasetIsNeverDeletedUnderAJobCreatedAtTheSameMoment() {
        TestTenant tenant = TestTenant.signUp("Delete while training");
        TestPlans.assign(tenant, TestPlans.unlimited());
        for (int round = 0; round < 5; round++) {
            JsonPath created = uploadCsv(tenant, labelled(), "task", "text_classification").then().statusCode(201)
                    .extract().jsonPath();
            String id = created.getString("id");
            Map<String, Object> body = Map.of("dataset_version_id", created.getString("latest_version.id"),
                    "hyperparameters", Map.of("epochs", 500, "embedding_size", 8, "max_sequence_length", 8));
            SimultaneousRequests.Answers answers = SimultaneousRequests.send(
                    () -> as(tenant).delete("/v1/datasets/" + id),
                    () -> as(tenant).contentType("application/json").body(body).post("/v1/training-jobs"));
            int deleted = answers.first().statusCode();
            int queued = answers.second().statusCode();
            // Either the dataset went first and the job found no version, or the job did and the deletion was
            // refused because of it: never a job queued on a deleted version.
            assertTrue(deleted == 204 && queued == 404 || deleted == 409 && queued == 202,
                    "delete " + deleted + ", job " + queued);
            if (queued == 202) {
                as(tenant).contentType("application/json").post("/v1/training-jobs/"
                        + answers.second().path("id") + "/cancel").then().statusCode(200);
            }
        }
    }
}
