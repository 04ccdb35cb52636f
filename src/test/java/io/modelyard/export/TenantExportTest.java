package io.modelyard.export;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.job.JobService;
import io.modelyard.storage.BlobStore;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.Permission;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.ImageZips;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * A tenant's data export end to end: a tenant with datasets, versions, a trained model, an alias, a second member,
 * an API key and predictions exports everything; the archive downloaded over HTTP is checked against what the API
 * itself answers. Then who may not see it, and its expiry.
 */
@QuarkusTest
class TenantExportTest {

    private static final String PATH = "/v1/tenant-exports";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ModelFixtures fixtures;

    @Inject
    TenantScope tenants;

    @Inject
    JobService jobs;

    @Inject
    TenantExportSweeper sweeper;

    @Inject
    ExportStorageFootprint exportStorage;

    @Inject
    BlobStore blobs;

    @Test
    void anOwnerExportsEverythingTheApiShowsAndOnlyTheOwnerCanReachIt() throws Exception {
        TestTenant tenant = TestTenant.signUp("Exporter");
        TestUser owner = tenant.owner();
        String newsCsv = GeneratedData.topics(120, 11);
        String news = Datasets.upload(owner.api(), "news", "text_classification", newsCsv);
        String newsCleaned = owner.api().body(Map.of("cleaning", Map.of("label_case", "lower"),
                        "split", Map.of("seed", 5)))
                .post("/v1/dataset-versions/" + news + "/clean").then().statusCode(201).extract().path("id");
        String wireCsv = GeneratedData.topics(90, 12);
        Datasets.upload(owner.api(), "wire", "text_classification", wireCsv);
        String model = fixtures.register(tenant.id(), "topics", TrainedModels.topics());
        owner.api().body(Map.of("model_id", model)).put("/v1/model-aliases/production").then().statusCode(200);
        TestUser member = tenant.addMember("member");
        String secret = tenant.apiKey("predict", "read");
        for (int i = 0; i < 2; i++) {
            withKey(secret).body(Map.of("inputs", List.of("the striker scored a goal")))
                    .post("/v1/models/production/predict").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> owner.api()
                .get("/v1/usage/events").then().extract().<List<String>>path("data.meter").contains("predictions"));

        // The free plan runs one job at a time: while another job holds the slot, the export waits in the queue.
        holdTheJobSlot(tenant, 3000);
        Response created = owner.api().body("{}").post(PATH);
        created.then().statusCode(202).body("object", equalTo("tenant_export")).body("state", equalTo("queued"))
                .body("id", containsString("exp_"));
        String id = created.path("id");
        String jobId = created.path("job_id");
        assertProblem(owner.api().get(PATH + "/" + id + "/download"), 409, "export-not-ready");
        owner.api().get("/v1/jobs/" + jobId).then().statusCode(200).body("type", equalTo("tenant_export"));

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> "succeeded".equals(
                owner.api().get(PATH + "/" + id).then().statusCode(200).extract().path("state")));
        JsonPath export = owner.api().get(PATH + "/" + id).then().extract().jsonPath();
        owner.api().get(PATH).then().statusCode(200).body("object", equalTo("list")).body("data.id", hasItem(id));
        owner.api().get("/v1/jobs/" + jobId + "/events?limit=100").then().statusCode(200)
                .body("data.type", hasItem("progress"));

        Response download = owner.api().get(PATH + "/" + id + "/download");
        download.then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", containsString(id + ".zip"));
        byte[] zip = download.asByteArray();
        assertEquals(export.getLong("size_bytes"), zip.length);
        assertEquals(export.getString("sha256"), sha256(zip));
        Map<String, byte[]> files = unzip(zip);
        assertEquals(export.getInt("file_count"), files.size());

        // The manifest lists every other file exactly, with its size and SHA-256.
        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertEquals(tenant.id(), manifest.path("tenant_id").asText());
        assertEquals(id, manifest.path("export_id").asText());
        assertFalse(manifest.path("created_at").asText().isEmpty());
        Set<String> listed = new TreeSet<>();
        for (JsonNode file : manifest.path("files")) {
            String path = file.path("path").asText();
            listed.add(path);
            assertNotNull(files.get(path), path + " is in the zip");
            assertEquals(files.get(path).length, file.path("size_bytes").asLong(), path);
            assertEquals(sha256(files.get(path)), file.path("sha256").asText(), path);
        }
        Set<String> inZip = new TreeSet<>(files.keySet());
        inZip.remove("manifest.json");
        assertEquals(inZip, listed);

        // Every dataset and version the API lists, with its stored rows and its upload as they were.
        List<String> versionIds = new ArrayList<>();
        for (String dataset : owner.api().get("/v1/datasets").then().extract().<List<String>>path("data.id")) {
            String base = "datasets/" + dataset + "/";
            assertTrue(files.containsKey(base + "dataset.json"), dataset);
            String name = owner.api().get("/v1/datasets/" + dataset).then().extract().path("name");
            assertEquals(name.equals("news") ? newsCsv : wireCsv,
                    new String(files.get(base + "upload.csv"), StandardCharsets.UTF_8), "the upload, as sent");
            List<Map<String, Object>> versions = owner.api().get("/v1/datasets/" + dataset + "/versions")
                    .then().extract().path("data");
            for (Map<String, Object> version : versions) {
                String v = (String) version.get("id");
                versionIds.add(v);
                String vBase = base + "versions/" + v + "/";
                for (String file : List.of("version.json", "validation.json", "cleaning.json", "profile.json")) {
                    assertTrue(files.containsKey(vBase + file), vBase + file);
                }
                byte[] rows = files.get(vBase + "data.csv");
                @SuppressWarnings("unchecked")
                Map<String, Object> blob = (Map<String, Object>) version.get("blob");
                assertEquals(blob.get("sha256"), sha256(rows), "the stored rows, byte for byte");
                // The download endpoint writes the same rows, its split column named 'split' instead of '__split'.
                String downloaded = owner.api().get("/v1/dataset-versions/" + v + "/download").then()
                        .statusCode(200).extract().asString();
                String stored = new String(rows, StandardCharsets.UTF_8);
                assertEquals(downloaded, stored.replaceFirst(",__split\n", ",split\n"), v);
                assertEquals(version.get("validation"), JSON.readValue(files.get(vBase + "validation.json"),
                        Map.class));
            }
        }
        assertTrue(versionIds.containsAll(List.of(news, newsCleaned)), versionIds.toString());
        assertEquals(3, versionIds.size());

        // Every model, with its artifact, card and evaluation; the alias.
        List<Map<String, Object>> models = owner.api().get("/v1/models").then().extract().path("data");
        assertEquals(1, models.size());
        for (Map<String, Object> m : models) {
            String base = "models/" + m.get("id") + "/";
            @SuppressWarnings("unchecked")
            Map<String, Object> artifact = (Map<String, Object>) m.get("artifact");
            assertEquals(artifact.get("sha256"), sha256(files.get(base + "artifact.zip")));
            assertTrue(files.containsKey(base + "card.json") && files.containsKey(base + "model.json"));
            JsonNode evaluation = JSON.readTree(files.get(base + "evaluation.json")).path("evaluation");
            assertEquals(JSON.readTree(owner.api().get("/v1/models/" + m.get("id")).asString()).path("evaluation"),
                    evaluation);
        }
        JsonNode aliases = JSON.readTree(files.get("model-aliases.json"));
        assertEquals("production", aliases.path(0).path("alias").asText());
        assertEquals(model, aliases.path(0).path("model_id").asText());

        // Jobs, usage, invoices, audit.
        String jobsFile = text(files, "jobs.jsonl");
        assertTrue(jobsFile.contains(jobId), "the export's own job");
        assertTrue(text(files, "job-events.jsonl").contains("\"job_id\":\"" + jobId + "\""));
        assertTrue(text(files, "usage/events.csv").startsWith("id,occurred_at,meter,"));
        assertTrue(text(files, "usage/events.csv").contains(",predictions,"));
        assertTrue(text(files, "billing/invoices.csv").startsWith("period,"));
        assertTrue(text(files, "billing/invoices.csv").contains("\n" + YearMonth.now(ZoneOffset.UTC) + ","),
                "the current period's invoice preview");
        assertTrue(text(files, "audit.jsonl").contains("\"action\":\"tenant_export.created\""));
        assertTrue(text(files, "audit.jsonl").contains("\"action\":\"api_key.created\""));

        // Members and roles as the API has them.
        Map<String, String> roles = new LinkedHashMap<>();
        JSON.readTree(files.get("members.json")).forEach(m -> roles.put(m.path("email").asText(),
                m.path("role").asText()));
        assertEquals(Map.of(owner.email(), "owner", member.email(), "member"), roles);

        // API keys: what identifies them, never what authenticates.
        JsonNode keys = JSON.readTree(files.get("api-keys.json"));
        assertEquals(1, keys.size());
        assertEquals(secret.substring(0, keys.path(0).path("prefix").asText().length()),
                keys.path(0).path("prefix").asText());
        keys.path(0).fieldNames().forEachRemaining(field -> assertFalse(field.contains("secret")
                || field.contains("hash"), field));
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        List<String> forbidden = List.of(secret, HexFormat.of().formatHex(hash),
                Base64.getEncoder().encodeToString(hash), Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
        files.forEach((path, content) -> {
            String asText = new String(content, StandardCharsets.ISO_8859_1);
            for (String needle : forbidden) {
                assertFalse(asText.contains(needle), path + " holds the key's secret or hash");
            }
        });
        owner.api().get("/v1/audit-events?action=tenant_export.downloaded").then().statusCode(200)
                .body("data.target.id", hasItem(id));

        // Nobody but an owner; another tenant does not even see it.
        assertProblem(member.api().body("{}").post(PATH), 403, "owner-required");
        assertProblem(member.api().get(PATH + "/" + id), 403, "owner-required");
        assertProblem(member.api().get(PATH + "/" + id + "/download"), 403, "owner-required");
        String adminKey = tenant.apiKey("read", "datasets:write", "jobs:write", "predict");
        assertProblem(withKey(adminKey).body("{}").post(PATH), 403, "owner-required");
        assertProblem(withKey(secret).get(PATH + "/" + id + "/download"), 403, "owner-required");
        TestTenant other = TestTenant.signUp("Curious");
        assertProblem(other.owner().api().get(PATH + "/" + id), 404, "not-found");
        assertProblem(other.owner().api().get(PATH + "/" + id + "/download"), 404, "not-found");
        other.owner().api().get(PATH).then().statusCode(200).body("data.size()", equalTo(0));

        // The archive is stored for the tenant, so it counts towards its storage_byte_hours while kept.
        assertEquals(Long.valueOf(export.getLong("size_bytes")), exportStorage.storedBytesByTenant().get(tenant.id()));
        assertNull(exportStorage.storedBytesByTenant().get(other.id()));

        // Once the retention has passed, the sweeper deletes the archive and the download is gone.
        assertTrue(blobs.exists(ExportKeys.archive(tenant.id(), id)));
        assertTrue(sweeper.sweep(Instant.parse(export.getString("expires_at")).plusSeconds(1)) >= 1);
        assertFalse(blobs.exists(ExportKeys.archive(tenant.id(), id)));
        assertNull(exportStorage.storedBytesByTenant().get(tenant.id()), "an expired archive is no longer billed");
        owner.api().get(PATH + "/" + id).then().statusCode(200).body("state", equalTo("expired"));
        assertProblem(owner.api().get(PATH + "/" + id + "/download"), 410, "export-expired");
    }

    @Test
    void anImageDatasetsImagesAreExportedAsUploaded() throws Exception {
        TestTenant tenant = TestTenant.signUp("Image exporter");
        TestUser owner = tenant.owner();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            entries.put("cats/" + i + ".png", ImageZips.png(24, i));
            entries.put("dogs/" + i + ".png", ImageZips.png(24, 50 + i));
        }
        entries.put("dogs/again.png", entries.get("dogs/0.png"));
        String dataset = owner.api().contentType("application/zip").queryParam("task", "image_classification")
                .queryParam("name", "pets").body(ImageZips.of(entries)).post("/v1/datasets").then().statusCode(201)
                .extract().path("id");

        String id = owner.api().body("{}").post(PATH).then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> "succeeded".equals(
                owner.api().get(PATH + "/" + id).then().statusCode(200).extract().path("state")));
        Map<String, byte[]> files = unzip(owner.api().get(PATH + "/" + id + "/download").then().statusCode(200)
                .extract().asByteArray());

        String base = "datasets/" + dataset + "/";
        JsonNode index = JSON.readTree(files.get(base + "images.json"));
        assertEquals(8, index.size(), "each distinct image once: " + index);
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String sha = sha256(entry.getValue());
            assertArrayEquals(entry.getValue(), files.get(base + "images/" + sha + ".png"), entry.getKey());
            List<String> names = new ArrayList<>();
            index.path(sha).path("files").forEach(n -> names.add(n.asText()));
            assertTrue(names.contains(entry.getKey()), entry.getKey() + " in " + names);
        }
        long exported = files.keySet().stream().filter(p -> p.startsWith(base + "images/")).count();
        assertEquals(8, exported);
        // The rows name the images by the same ids.
        String version = owner.api().get("/v1/datasets/" + dataset).then().extract().path("latest_version.id");
        String rows = text(files, base + "versions/" + version + "/data.csv");
        for (String sha : (Iterable<String>) index::fieldNames) {
            assertTrue(rows.contains(sha), sha);
        }
    }

    @Test
    void createsAreIdempotentACancelledJobFailsItsExportAndBadInputIsAProblem() {
        TestTenant tenant = TestTenant.signUp("Careful exporter");
        TestUser owner = tenant.owner();
        TestUser admin = tenant.addMember("admin");
        assertProblem(admin.api().body("{}").post(PATH), 403, "owner-required");
        assertProblem(admin.api().get(PATH), 403, "owner-required");
        holdTheJobSlot(tenant, 2000);
        String first = owner.api().header("Idempotency-Key", "export-1").body("{}").post(PATH)
                .then().statusCode(202).extract().path("id");
        owner.api().header("Idempotency-Key", "export-1").body("{}").post(PATH).then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(first));
        assertProblem(owner.api().header("Idempotency-Key", "export-1").body("{\"format\": \"tar\"}").post(PATH),
                400, "validation-failed");
        Response withoutBody = owner.api().post(PATH);
        withoutBody.then().statusCode(202).body("state", equalTo("queued"));
        owner.api().post("/v1/jobs/" + withoutBody.path("job_id") + "/cancel").then().statusCode(200);
        String cancelled = withoutBody.path("id");
        owner.api().get(PATH + "/" + cancelled).then().statusCode(200).body("state", equalTo("failed"))
                .body("finished_at", notNullValue());
        assertProblem(owner.api().get(PATH + "/" + cancelled + "/download"), 409, "export-not-ready");
        assertProblem(owner.api().body("{\"format\": \"tar\"}").post(PATH), 400, "validation-failed");
        assertProblem(owner.api().body("{not json").post(PATH), 400, "malformed-json");
        assertProblem(owner.api().queryParam("limit", 0).get(PATH), 400, "validation-failed");
        assertProblem(owner.api().get(PATH + "/exp_nonsense"), 404, "not-found");
        assertProblem(owner.api().get(PATH + "/exp_nonsense/download"), 404, "not-found");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> "succeeded".equals(
                owner.api().get(PATH + "/" + first).then().extract().path("state")));
    }

    private void holdTheJobSlot(TestTenant tenant, long millis) {
        Actor actor = new Actor(Actor.Type.SYSTEM, "test", "test", null, EnumSet.of(Permission.READ,
                Permission.JOBS_WRITE));
        String id = tenants.call(tenant.id(), actor, () -> jobs.enqueue("test_sleep", Map.of("sleep_ms", millis),
                Map.of(), 1, null).body().id());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "running".equals(
                tenant.owner().api().get("/v1/jobs/" + id).then().extract().path("state")));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                assertFalse(files.containsKey(entry.getName()), "one entry per path: " + entry.getName());
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    private static String text(Map<String, byte[]> files, String path) {
        assertTrue(files.containsKey(path), path);
        return new String(files.get(path), StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
