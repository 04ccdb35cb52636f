package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static io.modelyard.dataset.api.DatasetFixture.upload;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.ImageZips;
import io.quarkus.agroal.DataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An image dataset through the API: a zip of class folders becomes a dataset whose rows are image ids and
 * labels, with a gallery of its images and thumbnails; an unsafe zip is refused naming its entry and keeps
 * nothing; another tenant sees none of it.
 */
@QuarkusTest
class ImageDatasetTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    DatasetFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new DatasetFixture(schemaOwner);
    }

    @Test
    void aZipOfClassFoldersBecomesAnImageDatasetWithAGallery() throws Exception {
        TestTenant tenant = TestTenant.signUp("Shapes");
        JsonPath created = upload(tenant, "application/zip", ImageZips.shapes(90, 32, 3, 5), "task",
                "image_classification", "name", "shapes").then().statusCode(201)
                .body("task", equalTo("image_classification"))
                .body("latest_version.row_count", equalTo(90))
                .extract().jsonPath();
        String version = created.getString("latest_version.id");
        assertEquals(90, created.getInt("latest_version.splits.train") + created.getInt("latest_version.splits.validation")
                + created.getInt("latest_version.splits.test"));

        JsonPath page = as(tenant).queryParam("limit", 10).get("/v1/dataset-versions/" + version + "/images").then()
                .statusCode(200).body("data", hasSize(10)).body("has_more", equalTo(true))
                .body("data.label", hasItems("circle")).body("data[0].width", equalTo(32))
                .body("data[0].format", equalTo("png")).body("data[0].files[0]", startsWith("shapes/"))
                .extract().jsonPath();
        String id = page.getString("data[0].id");
        byte[] image = as(tenant).get("/v1/dataset-versions/" + version + "/images/" + id).then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        assertEquals(id, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)),
                "the image served is the one uploaded, byte for byte");
        byte[] thumbnail = as(tenant).get("/v1/dataset-versions/" + version + "/images/" + id + "/thumbnail").then()
                .statusCode(200).contentType("image/jpeg").extract().asByteArray();
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, new byte[] {thumbnail[0], thumbnail[1]});
        assertProblem(as(tenant).get("/v1/dataset-versions/" + version + "/images/" + "0".repeat(64)), 404,
                "not-found");
        assertProblem(as(tenant).queryParam("limit", 0).get("/v1/dataset-versions/" + version + "/images"), 400,
                "validation-failed");
        assertProblem(as(tenant).queryParam("offset", "x").get("/v1/dataset-versions/" + version + "/images"), 400,
                "validation-failed");
        assertProblem(as(tenant).get("/v1/dataset-versions/" + version + "/images/not-a-digest/thumbnail"), 404,
                "not-found");

        TestTenant other = TestTenant.signUp("Curious");
        for (String path : List.of("/images", "/images/" + id, "/images/" + id + "/thumbnail")) {
            assertProblem(as(other).get("/v1/dataset-versions/" + version + path), 404, "not-found");
        }

        as(tenant).delete("/v1/datasets/" + created.getString("id")).then().statusCode(204);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> DatasetFixture.blobs(tenant.id()).isEmpty());
    }

    @Test
    void theValidationReportListsUndecodableFilesDuplicatesAndLeakage() {
        TestTenant tenant = TestTenant.signUp("Messy photos");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] same = ImageZips.png(24, 500);
        entries.put("train/cats/a.png", same);
        entries.put("test/cats/a-copy.png", same);
        for (int i = 0; i < 6; i++) {
            entries.put("train/cats/" + i + ".png", ImageZips.png(24, i));
            entries.put("train/dogs/" + i + ".png", ImageZips.png(24, 100 + i));
        }
        entries.put("validation/cats/v.png", ImageZips.png(24, 200));
        entries.put("validation/dogs/v.png", ImageZips.png(24, 201));
        entries.put("test/dogs/t.png", ImageZips.png(24, 202));
        byte[] png = ImageZips.png(24, 300);
        entries.put("train/dogs/cut.png", java.util.Arrays.copyOf(png, png.length / 2));
        JsonPath version = upload(tenant, "application/zip", ImageZips.of(entries), "task", "image_classification")
                .then().statusCode(201).body("latest_version.row_count", equalTo(16))
                .extract().jsonPath().setRootPath("latest_version.validation.images");
        assertEquals(List.of("train/dogs/cut.png"), version.getList("undecodable.path"));
        assertEquals(1, version.getInt("exact_duplicates.groups"));
        assertEquals(List.of("test/cats/a-copy.png", "train/cats/a.png"),
                version.getList("exact_duplicates.listed[0].paths").stream().sorted().toList());
        assertEquals(0, version.getInt("leakage.exact_groups"), "cleaning dropped the copy in test");
        JsonPath kept = upload(tenant, "application/zip", ImageZips.of(entries), "task", "image_classification",
                "drop_duplicates", false).then().statusCode(201).body("latest_version.row_count", equalTo(17))
                .extract().jsonPath().setRootPath("latest_version.validation.images");
        assertEquals(1, kept.getInt("leakage.exact_groups"), "the same image in train and test is leakage");
        assertEquals(List.of("cats", "dogs"), version.getList("classes.label"));
        assertEquals(List.of("rgb"), version.getList("modes.mode"));

        // Re-cleaning an image version (from its rows, with another split seed) keeps its images.
        String keptId = upload(tenant, "application/zip", ImageZips.of(entries), "task", "image_classification")
                .then().statusCode(201).extract().path("latest_version.id");
        String recleaned = tenant.owner().api().body(Map.of("from", "version", "split", Map.of("seed", 9)))
                .post("/v1/dataset-versions/" + keptId + "/clean").then().statusCode(201)
                .body("row_count", equalTo(16)).extract().path("id");
        String image = tenant.owner().api().get("/v1/dataset-versions/" + recleaned + "/images").then()
                .statusCode(200).body("data", hasSize(16)).extract().path("data[0].id");
        tenant.owner().api().get("/v1/dataset-versions/" + recleaned + "/images/" + image + "/thumbnail").then()
                .statusCode(200);
        tenant.owner().api().body(Map.of("from", "upload", "cleaning", Map.of("label_case", "upper")))
                .post("/v1/dataset-versions/" + keptId + "/clean").then().statusCode(201)
                .body("row_count", equalTo(16));
    }

    @Test
    void trainValidationAndTestFoldersGiveTheSplits() {
        TestTenant tenant = TestTenant.signUp("Presplit");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        int n = 0;
        for (String split : List.of("train", "validation", "test")) {
            int count = split.equals("train") ? 8 : 2;
            for (String label : List.of("cats", "dogs")) {
                for (int i = 0; i < count; i++) {
                    entries.put(split + "/" + label + "/" + i + ".png", ImageZips.png(24, n++));
                }
            }
        }
        upload(tenant, "application/zip", ImageZips.of(entries), "task", "image_classification").then()
                .statusCode(201).body("latest_version.splits.train", equalTo(16))
                .body("latest_version.splits.validation", equalTo(4))
                .body("latest_version.splits.test", equalTo(4));
    }

    @Test
    void anUnsafeOrUnusableZipIsRefusedNamingItsEntryAndKeepsNothing() throws Exception {
        TestTenant tenant = TestTenant.signUp("Attacker");
        Map<String, byte[]> slip = new LinkedHashMap<>();
        slip.put("cats/1.png", ImageZips.png(16, 1));
        slip.put("cats/2.png", ImageZips.png(16, 2));
        slip.put("../../evil.png", ImageZips.png(16, 3));
        assertProblem(upload(tenant, "application/zip", ImageZips.of(slip), "task", "image_classification"), 422,
                "archive-path-traversal").body("entry", equalTo("../../evil.png"));
        fixture.assertNothingKept(tenant);

        Map<String, byte[]> program = new LinkedHashMap<>();
        program.put("cats/1.png", ImageZips.png(16, 1));
        program.put("dogs/2.png", ImageZips.png(16, 2));
        program.put("dogs/run.exe", new byte[] {'M', 'Z', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        assertProblem(upload(tenant, "application/zip", ImageZips.of(program), "task", "image_classification"), 422,
                "not-an-image").body("entry", equalTo("dogs/run.exe"));
        fixture.assertNothingKept(tenant);

        byte[] zip = ImageZips.shapes(20, 16, 2, 1);
        assertProblem(upload(tenant, "application/zip", java.util.Arrays.copyOf(zip, zip.length / 2), "task",
                "image_classification"), 400, "malformed-archive");
        fixture.assertNothingKept(tenant);

        assertProblem(upload(tenant, "application/zip", zip, "task", "text_classification"), 400,
                "invalid-dataset-options");
        assertProblem(upload(tenant, "text/csv", "text,label\na,b\n".getBytes(), "task", "image_classification"),
                400, "invalid-dataset-options");
        fixture.assertNothingKept(tenant);
        assertTrue(DatasetFixture.leftovers().isEmpty());
    }
}
