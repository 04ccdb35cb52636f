package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uploads that work: raw CSV and JSON Lines, multipart, tabular tasks; what is recorded, metered and audited. */
@QuarkusTest
class DatasetUploadTest {

    static final String REVIEWS = "review,stars,notes\n"
            + "Great phone,positive,a\n"
            + "Broke after a week,negative,b\n"
            + "Works as described,positive,c\n"
            + "Screen cracked,negative,d\n"
            + "Great phone,positive,dup\n"
            + "Fast delivery,POSITIVE ,e\n"
            + "Never again,negative,f\n"
            + "Love it,positive,g\n"
            + "Terrible support,negative,h\n"
            + ",negative,no text\n";

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aCsvUploadAnswersTheDatasetWithItsFirstVersionAndReports() {
        TestTenant tenant = TestTenant.signUp("Uploads");
        JsonPath body = uploadCsv(tenant, REVIEWS, "name", "reviews", "task", "text_classification",
                "text_column", "review", "label_column", "stars", "label_case", "lower", "metadata[team]", "search")
                .then().statusCode(201)
                .header("Location", containsString("/v1/datasets/ds_"))
                .body("object", equalTo("dataset"))
                .body("name", equalTo("reviews"))
                .body("task", equalTo("text_classification"))
                .body("status", equalTo("ready"))
                .body("metadata.team", equalTo("search"))
                .body("source.format", equalTo("csv"))
                .body("source.delimiter", equalTo(","))
                .body("version_count", equalTo(1))
                .body("latest_version.object", equalTo("dataset_version"))
                .body("latest_version.number", equalTo(1))
                .body("latest_version.kind", equalTo("raw"))
                .body("latest_version.id", startsWith("dsv_"))
                .body("latest_version.schema.columns[0].name", equalTo("review"))
                .body("latest_version.schema.columns[0].role", equalTo("text"))
                .body("latest_version.schema.columns[0].type", equalTo("text"))
                .body("latest_version.schema.columns[1].role", equalTo("label"))
                .body("latest_version.schema.ignored_columns", equalTo(List.of("notes")))
                .body("latest_version.validation.status", equalTo("valid_with_warnings"))
                .body("latest_version.validation.rows_read", equalTo(10))
                .body("latest_version.cleaning.rows_in", equalTo(10))
                .body("latest_version.profile.labels.labels.label", hasItem("positive"))
                .extract().jsonPath();
        long rows = body.getLong("latest_version.row_count");
        assertEquals(8, rows, "a duplicate and a row without text removed");
        Map<String, Integer> splits = body.getMap("latest_version.splits");
        assertEquals(rows, splits.values().stream().mapToLong(Integer::longValue).sum());
        assertTrue(body.getList("latest_version.validation.issues.row").size() > 0, "warnings are listed");
        long stored = body.getLong("stored_bytes");
        assertEquals(REVIEWS.getBytes(StandardCharsets.UTF_8).length + body.getLong("latest_version.blob.size_bytes"),
                stored);
        assertEquals(REVIEWS.getBytes(StandardCharsets.UTF_8).length, body.getLong("latest_version.raw.size_bytes"));

        String id = body.getString("id");
        String versionId = body.getString("latest_version.id");
        as(tenant).get("/v1/datasets/" + id).then().statusCode(200).body("latest_version.id", equalTo(versionId));
        as(tenant).get("/v1/datasets").then().statusCode(200).body("object", equalTo("list"))
                .body("data", hasSize(1)).body("data[0].id", equalTo(id)).body("has_more", equalTo(false));
        as(tenant).get("/v1/datasets/" + id + "/versions").then().statusCode(200)
                .body("data", hasSize(1)).body("data[0].id", equalTo(versionId));
        as(tenant).get("/v1/dataset-versions/" + versionId).then().statusCode(200)
                .body("dataset_id", equalTo(id)).body("profile.rows", equalTo(8))
                .body("options.cleaning.label_case", equalTo("lower"));

        DatasetFixture db = new DatasetFixture(schemaOwner);
        assertEquals(1, db.count("select count(*) from audit_events where tenant_id = ? and action = 'dataset.created'"
                + " and target_id = ?", tenant.id(), id));
        assertEquals(1, db.count("select count(*) from usage_events where tenant_id = ? and meter ="
                + " 'dataset_rows_ingested' and quantity = 8 and idempotency_key = ?", tenant.id(),
                "dataset_version:" + versionId));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReplaysAndMetersOnce() throws Exception {
        TestTenant tenant = TestTenant.signUp("Retries");
        String first = as(tenant).contentType("text/csv").header("Idempotency-Key", "upload-1")
                .queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS).post("/v1/datasets")
                .then().statusCode(201).extract().path("id");
        as(tenant).contentType("text/csv").header("Idempotency-Key", "upload-1")
                .queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS).post("/v1/datasets")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(first));
        as(tenant).contentType("text/csv").header("Idempotency-Key", "upload-1")
                .queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS + "One more,positive,z\n")
                .post("/v1/datasets").then().statusCode(409);
        DatasetFixture db = new DatasetFixture(schemaOwner);
        assertEquals(1, db.rows("datasets", tenant.id()));
        assertEquals(1, db.count("select count(*) from usage_events where tenant_id = ? and meter ="
                + " 'dataset_rows_ingested'", tenant.id()));
        assertEquals(2, DatasetFixture.blobs(tenant.id()).size(), "the replayed attempts' blobs are gone");
    }

    @Test
    void multipartUploadsStreamTheFilePartWithJsonOptions() {
        TestTenant tenant = TestTenant.signUp("Portal");
        String options = "{\"name\": \"portal reviews\", \"task\": \"text_classification\","
                + " \"column_map\": {\"text\": \"review\", \"label\": \"stars\"},"
                + " \"cleaning\": {\"label_case\": \"lower\"}, \"split\": {\"seed\": 7}, \"metadata\": {\"via\": \"portal\"}}";
        as(tenant).contentType("multipart/form-data")
                .multiPart("options", "options.json", options.getBytes(StandardCharsets.UTF_8), "application/json")
                .multiPart("file", "reviews.csv", REVIEWS.getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/v1/datasets")
                .then().statusCode(201)
                .body("name", equalTo("portal reviews"))
                .body("metadata.via", equalTo("portal"))
                .body("latest_version.row_count", equalTo(8))
                .body("latest_version.options.split.seed", equalTo(7))
                .body("latest_version.raw.size_bytes", equalTo(REVIEWS.getBytes(StandardCharsets.UTF_8).length));
        // Without options the file name names it, and the task is still required.
        as(tenant).contentType("multipart/form-data")
                .multiPart("file", "reviews.csv", REVIEWS.getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/v1/datasets").then().statusCode(400)
                .body("type", equalTo("https://modelyard.dev/problems/invalid-dataset-options"))
                .body("errors[0].field", equalTo("task"));
    }

    @Test
    void partsAfterTheFileAreReadOnlyUpToABoundThenTheConnectionCloses() {
        TestTenant tenant = TestTenant.signUp("Trailing parts");
        String options = "{\"name\": \"trailing\", \"task\": \"text_classification\","
                + " \"column_map\": {\"text\": \"review\", \"label\": \"stars\"}}";
        byte[] junk = new byte[4 * 1024 * 1024];
        java.util.Arrays.fill(junk, (byte) 'x');
        as(tenant).contentType("multipart/form-data")
                .multiPart("options", "options.json", options.getBytes(StandardCharsets.UTF_8), "application/json")
                .multiPart("file", "reviews.csv", REVIEWS.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("comment", "junk.bin", junk, "application/octet-stream")
                .post("/v1/datasets")
                .then().statusCode(201)
                .header("Connection", equalTo("close"))
                .body("latest_version.row_count", equalTo(8));
        // A small trailing part is read and the connection stays open.
        as(tenant).contentType("multipart/form-data")
                .multiPart("options", "options.json", options.replace("trailing", "small").getBytes(StandardCharsets.UTF_8),
                        "application/json")
                .multiPart("file", "reviews.csv", REVIEWS.getBytes(StandardCharsets.UTF_8), "text/csv")
                .multiPart("comment", "note", "hello")
                .post("/v1/datasets")
                .then().statusCode(201)
                .header("Connection", org.hamcrest.Matchers.not(equalTo("close")));
    }

    @Test
    void aBodyThatBreaksOffAfterTheWholeFileKeepsTheUploadItAnswersFor() {
        TestTenant tenant = TestTenant.signUp("Broken ending");
        String boundary = "brokenEnding42";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"options\"\r\n"
                + "Content-Type: application/json\r\n\r\n{\"name\": \"broken ending\","
                + " \"task\": \"text_classification\", \"column_map\": {\"text\": \"review\", \"label\": \"stars\"}}\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + REVIEWS + "\r\n"
                // the file part ended at its delimiter; what follows is neither "--" nor a next part
                + "--" + boundary + "junk";
        // The dataset was stored whole: the answer says so (and closes the connection), rather than a 400 for
        // a dataset that exists and whose rows were counted.
        as(tenant).contentType("multipart/form-data; boundary=" + boundary).body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/datasets")
                .then().statusCode(201)
                .header("Connection", equalTo("close"))
                .body("latest_version.row_count", equalTo(8));
        as(tenant).get("/v1/datasets").then().body("data.size()", equalTo(1));
    }

    @Test
    void jsonLinesAndTabularTasksWithAColumnMap() {
        TestTenant tenant = TestTenant.signUp("Tabular");
        String jsonl = "{\"text\": \"good\", \"label\": \"pos\"}\n{\"text\": \"bad\", \"label\": \"neg\"}\n"
                + "{\"text\": \"fine\", \"label\": \"pos\"}\n{\"text\": \"awful\", \"label\": \"neg\"}\n";
        DatasetFixture.upload(tenant, "application/x-ndjson", jsonl.getBytes(StandardCharsets.UTF_8),
                "task", "text_classification").then().statusCode(201)
                .body("source.format", equalTo("jsonl"))
                .body("source.delimiter", nullValue())
                .body("latest_version.row_count", equalTo(4));
        StringBuilder csv = new StringBuilder("id;rooms;area;city;price\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(';').append(1 + i % 5).append(';').append(40 + i * 3).append(';')
                    .append(i % 2 == 0 ? "Paris" : "Lyon").append(';').append(100_000 + i * 2500).append('\n');
        }
        JsonPath body = uploadCsv(tenant, csv.toString(), "task", "tabular_regression", "target_column", "price",
                "ignore_columns", "id", "split_train", "0.5", "split_test", "0.25")
                .then().statusCode(201)
                .body("source.delimiter", equalTo(";"))
                .body("column_map.target", equalTo("price"))
                .body("latest_version.schema.columns.name", equalTo(List.of("rooms", "area", "city", "price")))
                .body("latest_version.schema.columns.type", equalTo(List.of("numeric", "numeric", "categorical",
                        "numeric")))
                .body("latest_version.schema.columns[3].role", equalTo("target"))
                .body("latest_version.splits.train", equalTo(20))
                .body("latest_version.splits.validation", equalTo(10))
                .body("latest_version.splits.test", equalTo(10))
                .extract().jsonPath();
        assertTrue(body.getMap("latest_version.profile.column_profiles[0].numeric") != null);
    }

    @Test
    void reCleaningMakesANewVersionAndNeverChangesTheSource() {
        TestTenant tenant = TestTenant.signUp("Recleans");
        JsonPath first = uploadCsv(tenant, REVIEWS, "task", "text_classification", "text_column", "review",
                "label_column", "stars").then().statusCode(201).extract().jsonPath();
        String v1 = first.getString("latest_version.id");
        String id = first.getString("id");
        JsonPath second = as(tenant).body(Map.of("cleaning", Map.of("label_case", "lower", "drop_duplicates", false),
                        "split", Map.of("seed", 9)))
                .post("/v1/dataset-versions/" + v1 + "/clean")
                .then().statusCode(201)
                .header("Location", containsString("/v1/dataset-versions/dsv_"))
                .body("number", equalTo(2))
                .body("kind", equalTo("cleaned"))
                .body("parent_version_id", equalTo(v1))
                .body("dataset_id", equalTo(id))
                .body("options.cleaning.label_case", equalTo("lower"))
                .body("options.cleaning.drop_duplicates", equalTo(false))
                .body("options.split.seed", equalTo(9))
                .body("raw.sha256", equalTo(first.getString("latest_version.raw.sha256")))
                .extract().jsonPath();
        assertEquals(9, second.getInt("row_count"), "the duplicate stays; the row without text still goes");
        as(tenant).get("/v1/dataset-versions/" + v1).then().statusCode(200)
                .body("blob.sha256", equalTo(first.getString("latest_version.blob.sha256")))
                .body("row_count", equalTo(first.getInt("latest_version.row_count")));
        as(tenant).get("/v1/datasets/" + id).then().body("version_count", equalTo(2))
                .body("latest_version.id", equalTo(second.getString("id")));
        // Cleaning the cleaned rows again keeps their splits.
        as(tenant).body(Map.of("from", "version")).post("/v1/dataset-versions/" + second.getString("id") + "/clean")
                .then().statusCode(201).body("number", equalTo(3)).body("splits", equalTo(second.getMap("splits")));
        as(tenant).body(Map.of("cleaning", Map.of("whitespace", "sideways")))
                .post("/v1/dataset-versions/" + v1 + "/clean")
                .then().statusCode(400).body("errors[0].field", equalTo("cleaning.whitespace"));
        DatasetFixture db = new DatasetFixture(schemaOwner);
        assertEquals(3, db.count("select count(*) from usage_events where tenant_id = ? and meter ="
                + " 'dataset_rows_ingested'", tenant.id()));
        assertEquals(2, db.count("select count(*) from audit_events where tenant_id = ?"
                + " and action = 'dataset_version.created'", tenant.id()));
    }

    @Inject
    AgroalDataSource application;

    @Test
    void versionsAreImmutableForTheApplication() throws Exception {
        try (var connection = application.getConnection(); var sql = connection.createStatement()) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> sql.executeUpdate("update dataset_versions set row_count = 0"));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        }
    }

    @Test
    void viewersMayReadButNotUpload() {
        TestTenant tenant = TestTenant.signUp("Roles");
        var viewer = tenant.addMember("viewer");
        viewer.api(tenant.id()).contentType("text/csv").queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS)
                .post("/v1/datasets").then().statusCode(403);
        String readKey = tenant.apiKey("read");
        TestTenant.withKey(readKey).contentType("text/csv").queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS)
                .post("/v1/datasets").then().statusCode(403)
                .body("type", equalTo("https://modelyard.dev/problems/insufficient-scope"));
        String writeKey = tenant.apiKey("datasets:write", "read");
        TestTenant.withKey(writeKey).contentType("text/csv").queryParam("task", "text_classification").queryParam("label_column", "stars").body(REVIEWS)
                .post("/v1/datasets").then().statusCode(201);
        viewer.api(tenant.id()).get("/v1/datasets").then().statusCode(200).body("data", hasSize(1));
    }
}
