package io.modelyard.serving.batch;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelyard.image.TestImages;
import io.modelyard.ml.vision.SyntheticShapes;
import io.modelyard.serving.UsageLedger;
import io.modelyard.testing.ImageZips;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Batch predictions of an image model, end to end: a tiny cnn_small trained through the API predicts its own
 * dataset version (images read from the version's dataset) and the images of an uploaded zip (read with the
 * dataset upload's reader, any layout, no labels); hostile zips and uploads of the wrong kind are refused leaving
 * nothing behind, and another tenant sees nothing.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageBatchPredictionTest {

    private static final Path BLOBS = Path.of("target/test-blobs");
    private static final Path SCRATCH = Path.of("target/test-work");
    private static final List<String> CLASSES = SyntheticShapes.CLASSES.subList(0, 3);

    @Inject
    ModelFixtures fixtures;

    @Inject
    UsageLedger ledger;

    TestTenant tenant;
    String version;
    String model;

    @BeforeEach
    void aTrainedImageModel() {
        if (tenant != null) {
            return;
        }
        tenant = TestTenant.signUp("Image batch");
        TestPlans.assign(tenant, TestPlans.unlimited());
        version = tenant.owner().api().contentType("application/zip").queryParam("task", "image_classification")
                .queryParam("name", "shapes").body(ImageZips.shapes(90, 32, 3, 5)).post("/v1/datasets").then()
                .statusCode(201).extract().path("latest_version.id");
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "architecture", "cnn_small",
                "hyperparameters", Map.of("epochs", 2, "batch_size", 16), "seed", 3))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = tenant.owner().api().get("/v1/training-jobs/" + job).then().statusCode(200).extract()
                    .jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        assertEquals("succeeded", last[0].getString("state"), () -> String.valueOf(last[0].getString("error")));
        model = last[0].getString("model_id");
    }

    @Test
    void aDatasetVersionIsPredictedImageByImageWithItsFilesAndSplits() {
        String id = BatchJobs.start(tenant.owner().api(), Map.of("model", model, "dataset_version_id", version,
                "format", "csv"));
        JsonPath done = BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        assertEquals("dataset_version", done.getString("input.type"));
        List<String[]> csv = csv(tenant.owner().api().get("/v1/batch-predictions/" + id + "/result").then()
                .statusCode(200).contentType(containsString("text/csv")).extract().asString());
        List<String> header = new ArrayList<>(List.of("row", "split", "file", "image_id", "label", "confidence"));
        CLASSES.forEach(c -> header.add("p_" + c));
        assertEquals(header, List.of(csv.get(0)));

        List<JsonNode> rows = BatchJobs.versionRows(tenant.owner().api(), version);
        long rowCount = tenant.owner().api().get("/v1/dataset-versions/" + version).then().extract().jsonPath()
                .getLong("row_count");
        assertEquals(rowCount, rows.size());
        assertEquals(rows.size() + 1, csv.size(), "one result row per row of the version");
        assertEquals(rows.size(), done.getLong("result.rows"));
        List<Map<String, Object>> firstPage = tenant.owner().api().queryParam("limit", 100)
                .get("/v1/dataset-versions/" + version + "/images").then().statusCode(200).extract().jsonPath()
                .getList("data");
        for (int r = 0; r < rows.size(); r++) {
            String[] line = csv.get(r + 1);
            assertEquals(Integer.toString(r), line[0]);
            assertEquals(rows.get(r).get("split").asText(), line[1], "row " + r);
            assertEquals(rows.get(r).get("image").asText(), line[3], "row " + r);
            assertTrue(CLASSES.contains(line[4]), line[4]);
            double confidence = Double.parseDouble(line[5]);
            assertTrue(confidence >= 0 && confidence <= 1, line[5]);
            assertEquals(Double.parseDouble(line[6 + CLASSES.indexOf(line[4])]), confidence, 1e-9,
                    "the confidence is the predicted class's probability");
            if (r < firstPage.size()) {
                assertEquals(firstPage.get(r).get("id"), line[3]);
                assertEquals(((List<?>) firstPage.get(r).get("files")).get(0), line[2], "the first file recorded");
            }
        }

        // The same image online answers the same label.
        byte[] first = tenant.owner().api().get("/v1/dataset-versions/" + version + "/images/" + csv.get(1)[3])
                .then().statusCode(200).extract().asByteArray();
        tenant.owner().api().body(Map.of("inputs", List.of(Map.of("image", Base64.getEncoder()
                .encodeToString(first))))).post("/v1/models/" + model + "/predict").then().statusCode(200)
                .body("data[0].label", equalTo(csv.get(1)[4]));

        assertBilled(id, rows.size());
    }

    @Test
    void theImagesOfAZipInAnyLayoutArePredictedUnderTheirOwnNames() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("loose.png", ImageZips.png(32, 1));
        entries.put("a/b/c/deep.png", ImageZips.png(32, 2));
        entries.put("labels.csv", "file,label\nloose.png,circle\n".getBytes());
        entries.put("__MACOSX/._loose.png", new byte[] {0, 5, 22, 7});
        entries.put("jpeg/photo.jpg", TestImages.jpeg(TestImages.shapes(40, 30, 3)));
        entries.put("copy/of-loose.png", entries.get("loose.png"));
        List<String> images = List.of("loose.png", "a/b/c/deep.png", "jpeg/photo.jpg", "copy/of-loose.png");

        JsonPath created = zip(tenant.owner().api(), ImageZips.of(entries)).queryParam("model", model)
                .queryParam("metadata[run]", "zip").post("/v1/batch-predictions").then().statusCode(202)
                .extract().jsonPath();
        assertEquals("upload", created.getString("input.type"));
        assertEquals("zip", created.getString("input.archive"));
        assertEquals(images.size(), created.getInt("input.rows"));
        String id = created.getString("id");
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
        List<JsonNode> lines = BatchJobs.jsonLines(tenant.owner().api().get("/v1/batch-predictions/" + id
                + "/result").then().statusCode(200).extract().asString());

        List<Map<String, String>> inputs = new ArrayList<>();
        images.forEach(name -> inputs.add(Map.of("image", Base64.getEncoder().encodeToString(entries.get(name)))));
        JsonNode online = BatchJobs.read(tenant.owner().api().body(Map.of("inputs", inputs))
                .post("/v1/models/" + model + "/predict").then().statusCode(200).extract().asString());
        assertEquals(images.size(), lines.size());
        for (int r = 0; r < images.size(); r++) {
            JsonNode line = lines.get(r);
            assertEquals(r, line.get("row").asInt());
            assertEquals(images.get(r), line.get("file").asText(), "the entry's path, in archive order");
            assertEquals(sha256(entries.get(images.get(r))), line.get("image_id").asText());
            assertNull(line.get("split"), "uploaded rows have no split");
            JsonNode v1 = online.get("data").get(r);
            assertEquals(v1.get("label").asText(), line.get("label").asText(), "row " + r);
            assertEquals(line.get("probabilities").get(line.get("label").asText()).asDouble(),
                    line.get("confidence").asDouble(), 1e-9);
            for (String c : CLASSES) {
                assertEquals(v1.get("probabilities").get(c).asDouble(), line.get("probabilities").get(c).asDouble(),
                        1e-6, "row " + r);
            }
        }
        assertEquals(lines.get(0).get("image_id"), lines.get(3).get("image_id"), "same bytes, same id");
        assertNoInputs(tenant.id());
        assertBilled(id, images.size());
    }

    @Test
    void anUndecodableImageRefusesTheUploadNamingItsFileAndQueuesNothing() {
        int jobsBefore = jobs(tenant);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("fine.png", ImageZips.png(32, 4));
        entries.put("broken/cut.png", TestImages.truncated(TestImages.png(TestImages.shapes(200, 200, 2)), 0.5));
        entries.put("later.png", ImageZips.png(32, 5));
        assertProblem(zip(tenant.owner().api(), ImageZips.of(entries)).queryParam("model", model)
                .post("/v1/batch-predictions"), 422, "undecodable-image")
                .body("entry", equalTo("broken/cut.png"))
                .body("detail", containsString("'broken/cut.png' cannot be decoded"));
        assertEquals(jobsBefore, jobs(tenant), "no job was queued");
        assertNoInputs(tenant.id());
    }

    @Test
    void hostileZipsAndUploadsOfTheWrongKindAreRefusedKeepingNothing() {
        TestTenant other = TestTenant.signUp("Image batch refusals");
        String topics = fixtures.register(other.id(), "topics", TrainedModels.topics());
        int jobsBefore = jobs(tenant);

        Map<String, byte[]> slip = new LinkedHashMap<>();
        slip.put("ok.png", ImageZips.png(32, 1));
        slip.put("../../etc/cron.d/evil.png", ImageZips.png(32, 2));
        assertProblem(zip(tenant.owner().api(), ImageZips.of(slip)).queryParam("model", model)
                .post("/v1/batch-predictions"), 422, "archive-path-traversal")
                .body("entry", equalTo("../../etc/cron.d/evil.png"));
        Map<String, byte[]> bomb = new LinkedHashMap<>();
        bomb.put("ok.png", ImageZips.png(32, 1));
        bomb.put("bomb.png", new byte[32 << 20]);
        assertProblem(zip(tenant.owner().api(), ImageZips.of(bomb)).queryParam("model", model)
                .post("/v1/batch-predictions"), 422, "compression-ratio-too-high").body("entry", equalTo("bomb.png"));
        Map<String, byte[]> nested = new LinkedHashMap<>();
        nested.put("ok.png", ImageZips.png(32, 1));
        nested.put("more/images.zip", ImageZips.of(Map.of("a.png", ImageZips.png(32, 3))));
        assertProblem(zip(tenant.owner().api(), ImageZips.of(nested)).queryParam("model", model)
                .post("/v1/batch-predictions"), 422, "nested-archive");
        assertProblem(zip(tenant.owner().api(), ImageZips.of(Map.of("ok.png", ImageZips.png(32, 1), "notes.txt",
                "not an image".getBytes()))).queryParam("model", model).post("/v1/batch-predictions"), 422,
                "not-an-image").body("entry", equalTo("notes.txt"));
        assertProblem(zip(tenant.owner().api(), ImageZips.of(Map.of("huge.png", TestImages.pngHeaderOnly(100_000,
                100_000)))).queryParam("model", model).post("/v1/batch-predictions"), 422, "image-too-large");
        assertProblem(zip(tenant.owner().api(), ImageZips.of(Map.of("labels.csv", "file,label\n".getBytes())))
                .queryParam("model", model).post("/v1/batch-predictions"), 422, "empty-dataset");
        byte[] whole = ImageZips.of(Map.of("a/last.png", ImageZips.png(32, 9)));
        assertProblem(zip(tenant.owner().api(), java.util.Arrays.copyOf(whole, whole.length / 2))
                .queryParam("model", model).post("/v1/batch-predictions"), 400, "malformed-archive");

        // A zip to a text model, a CSV to an image model.
        assertProblem(zip(other.owner().api(), ImageZips.of(Map.of("a.png", ImageZips.png(32, 1))))
                .queryParam("model", topics).post("/v1/batch-predictions"), 422, "task-mismatch");
        assertProblem(tenant.owner().api().contentType("text/csv").body("image\nabc\n".getBytes())
                .queryParam("model", model).post("/v1/batch-predictions"), 422, "task-mismatch");
        assertProblem(zip(tenant.owner().api(), ImageZips.of(Map.of("a.png", ImageZips.png(32, 1))))
                .queryParam("model", model).queryParam("delimiter", ";").post("/v1/batch-predictions"), 400,
                "validation-failed");

        assertEquals(jobsBefore, jobs(tenant), "no job kept");
        assertEquals(0, jobs(other), "no job kept");
        assertNoInputs(tenant.id());
        assertNoInputs(other.id());
        assertNoSpooledArchive();
        assertNoUnfinishedBlobWrite();
    }

    @Test
    void anotherTenantReachesNeitherTheModelNorItsBatchPredictions() {
        String id = zip(tenant.owner().api(), ImageZips.of(Map.of("a.png", ImageZips.png(32, 7))))
                .queryParam("model", model).post("/v1/batch-predictions").then().statusCode(202).extract().path("id");
        TestTenant stranger = TestTenant.signUp("Image batch stranger");
        TestPlans.assign(stranger, TestPlans.unlimited());
        assertProblem(zip(stranger.owner().api(), ImageZips.of(Map.of("a.png", ImageZips.png(32, 7))))
                .queryParam("model", model).post("/v1/batch-predictions"), 404, "not-found");
        assertProblem(stranger.owner().api().body(Map.of("model", model, "dataset_version_id", version))
                .post("/v1/batch-predictions"), 404, "not-found");
        assertProblem(stranger.owner().api().get("/v1/batch-predictions/" + id), 404, "not-found");
        assertProblem(stranger.owner().api().get("/v1/batch-predictions/" + id + "/result"), 404, "not-found");
        assertProblem(stranger.owner().api().post("/v1/batch-predictions/" + id + "/cancel"), 404, "not-found");
        assertEquals(0, jobs(stranger));
        assertNoInputs(stranger.id());
        BatchJobs.awaitSucceeded(() -> tenant.owner().api(), id);
    }

    /** Billed once for its rows when it succeeded; nothing when it did not. */
    private void assertBilled(String jobId, long rows) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<UsageLedger.Event> billed = ledger.events(tenant.id()).stream()
                    .filter(e -> e.idempotencyKey().startsWith("job:" + jobId)).toList();
            if (rows == 0) {
                assertEquals(List.of(), billed);
                return;
            }
            assertEquals(1, billed.size(), billed.toString());
            assertEquals("predictions", billed.get(0).meter());
            assertEquals(rows, billed.get(0).quantity());
            assertEquals("job:" + jobId + ":predictions", billed.get(0).idempotencyKey());
            assertEquals(model, billed.get(0).modelId());
            assertEquals("batch", billed.get(0).protocol());
        });
    }

    private static RequestSpecification zip(RequestSpecification as, byte[] zip) {
        return as.contentType("application/zip").body(zip);
    }

    private static int jobs(TestTenant t) {
        return t.owner().api().queryParam("limit", 100).get("/v1/batch-predictions").then().statusCode(200)
                .extract().jsonPath().getList("data").size();
    }

    /** The input blobs go when the job's end commits, just after it shows as ended. */
    private static void assertNoInputs(String tenantId) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Path dir = BLOBS.resolve("tenants").resolve(tenantId).resolve("batch-inputs");
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).map(Path::toString).toList());
            }
        });
    }

    /** A refused input's blob was being written when the reader refused the zip: the write was aborted. */
    private static void assertNoUnfinishedBlobWrite() {
        Path tmp = BLOBS.resolve(".tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).map(Path::toString).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The zip is spooled to the scratch space while it is read, and deleted whatever the outcome. */
    private static void assertNoSpooledArchive() {
        if (!Files.isDirectory(SCRATCH)) {
            return;
        }
        try (Stream<Path> files = Files.list(SCRATCH)) {
            assertEquals(List.of(), files.map(Path::toString).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String[]> csv(String body) {
        List<String[]> rows = new ArrayList<>();
        for (String line : body.split("\r?\n")) {
            if (!line.isEmpty()) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
