package io.modelyard.serving.batch;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.job.JobService;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.Example;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batch predictions of uploaded files without labels: same answers as online predictions, the input stored only
 * while its job lives, and every refusal leaving neither blob nor job.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchPredictionUploadTest {

    /** The filesystem blob store of the test profile. */
    private static final Path BLOBS = Path.of("target/test-blobs");

    @Inject
    ModelFixtures fixtures;

    @Inject
    TenantScope tenants;

    @Inject
    JobService jobService;

    @Inject
    BatchInputSweeper sweeper;

    @Inject
    io.modelyard.storage.BlobStore blobs;

    TestTenant tenant;
    String topics;
    String credit;

    @BeforeEach
    void modelsOfATenant() {
        if (tenant != null) {
            return;
        }
        tenant = TestTenant.signUp("Batch upload");
        topics = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        credit = fixtures.register(tenant.id(), "credit", TrainedModels.credit());
    }

    @Test
    void unlabeledCsvAndJsonLinesEqualOnlinePredictionsAndTheirInputIsDeleted() {
        List<String> texts = TrainedModels.topics().data().test().stream().map(Example::text).limit(40).toList();
        StringBuilder csv = new StringBuilder("text\n");
        StringBuilder jsonl = new StringBuilder();
        for (String text : texts) {
            csv.append('"').append(text.replace("\"", "\"\"")).append("\"\n");
            jsonl.append("{\"text\": ").append(quoteJson(text)).append("}\n");
        }
        JsonNode online = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", texts))
                .post("/v1/models/" + topics + "/predict").then().statusCode(200).extract().asString());
        List<String> classes = TrainedModels.topics().data().labelClasses();

        for (String[] upload : List.of(new String[] {"text/csv", csv.toString()},
                new String[] {"application/x-ndjson", jsonl.toString()})) {
            JsonPath created = raw(tenant.owner().api(), upload[0], upload[1]).queryParam("model", topics)
                    .post("/v1/batch-predictions").then().statusCode(202).extract().jsonPath();
            assertEquals("upload", created.getString("input.type"));
            assertEquals(texts.size(), created.getInt("input.rows"));
            assertEquals(upload[1].getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    created.getLong("input.bytes"));
            assertNull(created.getString("dataset_version_id"));
            String id = created.getString("id");
            BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
            List<JsonNode> batch = BatchJobs.jsonLines(tenant.owner().api().get("/v1/batch-predictions/" + id
                    + "/result").then().statusCode(200).extract().asString());
            assertEquals(texts.size(), batch.size());
            for (int r = 0; r < texts.size(); r++) {
                JsonNode line = batch.get(r);
                JsonNode v1 = online.get("data").get(r);
                assertEquals(r, line.get("row").asInt());
                assertNull(line.get("split"), "uploaded rows have no split");
                assertEquals(v1.get("label").asText(), line.get("label").asText(), "row " + r);
                for (String c : classes) {
                    assertEquals(v1.get("probabilities").get(c).asDouble(),
                            line.get("probabilities").get(c).asDouble(), 1e-6, "row " + r);
                }
            }
            assertNoInputs(tenant.id()); // deleted once the job succeeded
        }
    }

    @Test
    void tabularUploadReadsTheFeatureColumnsAndIgnoresOthers() {
        List<Example> examples = TrainedModels.credit().data().test();
        List<String> names = TrainedModels.credit().data().features().stream().map(f -> f.name()).toList();
        StringBuilder csv = new StringBuilder("note;" + String.join(";", names) + "\n");
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Example e : examples) {
            csv.append("x;").append(String.join(";", e.features())).append('\n');
            Map<String, Object> features = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                features.put(names.get(i), value(e.features().get(i)));
            }
            inputs.add(features);
        }
        String id = raw(tenant.owner().api(), "text/csv", csv.toString()).queryParam("model", credit)
                .queryParam("format", "csv").post("/v1/batch-predictions").then().statusCode(202)
                .body("input.rows", equalTo(examples.size())).extract().path("id");
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        String[] lines = tenant.owner().api().get("/v1/batch-predictions/" + id + "/result").then().statusCode(200)
                .extract().asString().split("\n");
        JsonNode online = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", inputs))
                .post("/v1/models/" + credit + "/predict").then().statusCode(200).extract().asString());
        assertEquals(examples.size() + 1, lines.length);
        for (int r = 0; r < examples.size(); r++) {
            String[] cells = lines[r + 1].split(",", -1);
            assertEquals("", cells[1], "no split");
            assertEquals(online.get("data").get(r).get("label").asText(), cells[2], "row " + r);
        }
    }

    @Test
    void refusalsKeepNothing() {
        TestTenant small = TestTenant.signUp("Batch upload refusals");
        String model = fixtures.register(small.id(), "topics", TrainedModels.topics());
        String creditModel = fixtures.register(small.id(), "credit", TrainedModels.credit());
        TestPlans.assign(small, TestPlans.maxUpload(200));

        raw(small.owner().api(), "text/csv", "review\nGreat phone\n").queryParam("model", model)
                .queryParam("format", "csv").post("/v1/batch-predictions").then().statusCode(202);
        // The job above is allowed; what follows must add nothing.
        int before = jobs(small);
        raw(small.owner().api(), "text/csv", "title,body\na,b\n").queryParam("model", model)
                .post("/v1/batch-predictions").then().statusCode(422).body("type", endsWith("/missing-column"))
                .body("detail", org.hamcrest.Matchers.containsString("text"));
        raw(small.owner().api(), "text/csv", "income,region\n1,north\n").queryParam("model", creditModel)
                .post("/v1/batch-predictions").then().statusCode(422).body("columns", hasItem("debt"));
        raw(small.owner().api(), "text/csv", "text\n").queryParam("model", model)
                .post("/v1/batch-predictions").then().statusCode(422);
        raw(small.owner().api(), "application/x-ndjson", "").queryParam("model", model)
                .post("/v1/batch-predictions").then().statusCode(422);
        raw(small.owner().api(), "text/csv", "text\n" + "a long enough line of text\n".repeat(20))
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(413)
                .body("type", endsWith("/payload-too-large")).body("max_bytes", equalTo(200));
        // Without Content-Length (chunked), the limit is found while streaming; the partial blob goes.
        small.owner().api().contentType("text/csv").body(new java.io.ByteArrayInputStream(("text\n"
                + "a long enough line of text\n".repeat(20)).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(413)
                .body("type", endsWith("/payload-too-large"));
        raw(small.owner().api(), "text/csv", "text\nhello\n").queryParam("model", topics)
                .post("/v1/batch-predictions").then().statusCode(404);
        assertEquals(before, jobs(small), "no job kept");
        await(small);
        assertNoInputs(small.id());
    }

    @Test
    void aReplayedUploadIsTheSameJobAndACancelledQueuedJobLeavesNoInput() {
        TestTenant queued = TestTenant.signUp("Batch upload canceller");
        String model = fixtures.register(queued.id(), "topics", TrainedModels.topics());
        // A free plan runs one job at a time: while another job runs, the batch prediction waits in the queue.
        holdTheJobSlot(queued, 4000);
        String csv = "text\nGreat phone\nBroke after a week\n";
        String id = raw(queued.owner().api(), "text/csv", csv).header("Idempotency-Key", "upload-1")
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(202)
                .body("state", equalTo("queued")).extract().path("id");
        raw(queued.owner().api(), "text/csv", csv).header("Idempotency-Key", "upload-1")
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(id));
        raw(queued.owner().api(), "text/csv", csv + "Third\n").header("Idempotency-Key", "upload-1")
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(409);
        assertEquals(1, jobs(queued));
        assertEquals(1, inputBlobs(queued.id()).size(), "one input: the replay's copy is not kept");

        // The sweeper deletes an input no job reads (its create died before enqueueing), not a queued job's.
        String orphan = "tenants/" + queued.id() + "/batch-inputs/bpin_orphan/input.csv";
        blobs.put(orphan, new java.io.ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                1000);
        assertEquals(1, sweeper.sweep("tenants/" + queued.id() + "/", java.time.Instant.now().plusSeconds(60)));
        assertEquals(1, inputBlobs(queued.id()).size());
        assertFalse(blobs.exists(orphan));

        queued.owner().api().post("/v1/batch-predictions/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertNoInputs(queued.id());
    }

    @Test
    void uploadedInputsCountAgainstTheStorageCapUntilTheirJobEnds() {
        TestTenant capped = TestTenant.signUp("Batch upload cap");
        String model = fixtures.register(capped.id(), "topics", TrainedModels.topics());
        long artifact = capped.owner().api().get("/v1/models/" + model).then().extract()
                .jsonPath().getLong("artifact.size_bytes");
        TestPlans.assign(capped, TestPlans.storageCap(artifact + 6000));
        holdTheJobSlot(capped, 6000);
        String input = "text\n" + "a sports report about the match\n".repeat(120);   // about 4 KB
        String first = raw(capped.owner().api(), "text/csv", input).queryParam("model", model)
                .post("/v1/batch-predictions").then().statusCode(202).body("state", equalTo("queued"))
                .extract().path("id");
        // The queued job's input holds 4 KB of the 6 KB left: another 4 KB, as input or as a dataset, does not fit.
        raw(capped.owner().api(), "text/csv", input).queryParam("model", model).post("/v1/batch-predictions")
                .then().statusCode(403).body("type", endsWith("/storage-quota-exceeded"));
        raw(capped.owner().api(), "text/csv", "text,label\n" + "a sports report,sport\n".repeat(200))
                .queryParam("name", "late").queryParam("task", "text_classification").post("/v1/datasets")
                .then().statusCode(403).body("type", endsWith("/storage-quota-exceeded"));
        assertEquals(1, jobs(capped));
        assertEquals(1, inputBlobs(capped.id()).size(), "the refused input was not kept");

        capped.owner().api().post("/v1/batch-predictions/" + first + "/cancel").then().statusCode(200);
        assertNoInputs(capped.id());
        raw(capped.owner().api(), "text/csv", input).queryParam("model", model).post("/v1/batch-predictions")
                .then().statusCode(202);
    }

    private void holdTheJobSlot(TestTenant t, long millis) {
        Actor actor = new Actor(Actor.Type.SYSTEM, "test", "test", null, EnumSet.of(Permission.READ,
                Permission.JOBS_WRITE));
        String id = tenants.call(t.id(), actor, () -> jobService.enqueue("test_sleep", Map.of("sleep_ms", millis),
                Map.of(), 1, null).body().id());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "running".equals(
                t.owner().api().get("/v1/jobs/" + id).then().extract().path("state")));
    }

    /** Waits for the one allowed job so that its input is gone too. */
    private static void await(TestTenant small) {
        String id = small.owner().api().get("/v1/batch-predictions").then().extract().path("data[0].id");
        BatchJobs.awaitSucceeded(() -> small.owner().api(), id);
    }

    private static int jobs(TestTenant t) {
        return t.owner().api().queryParam("limit", 100).get("/v1/batch-predictions").then().statusCode(200)
                .extract().jsonPath().getList("data").size();
    }

    private static RequestSpecification raw(RequestSpecification as, String contentType, String body) {
        // Bytes: RestAssured encodes strings only for the media types it knows.
        return as.contentType(contentType).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Object value(String cell) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return cell;
        }
    }

    private static String quoteJson(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

    /** The input blobs go when the job's end commits, just after it shows as ended. */
    private static void assertNoInputs(String tenantId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(List.of(), inputBlobs(tenantId), "input blobs"));
    }

    /** Every input blob under the tenant's prefix in the filesystem store. */
    private static List<String> inputBlobs(String tenantId) {
        Path dir = BLOBS.resolve("tenants").resolve(tenantId).resolve("batch-inputs");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> BLOBS.relativize(p).toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
