package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.upload;
import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every bad upload of the issue: its status, its problem body (with row and column where there is one), and
 * nothing kept — no dataset row, no version row, no blob, no temporary file.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetRejectionTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    DatasetFixture db;
    TestTenant tenant;

    @BeforeEach
    void tenant() {
        db = new DatasetFixture(schemaOwner);
        if (tenant == null) {
            tenant = TestTenant.signUp("Rejections");
        }
    }

    private Response text(String csv) {
        return uploadCsv(tenant, csv, "task", "text_classification");
    }

    @Test
    void invalidUtf8Is400NamingTheFirstBadRow() throws IOException {
        byte[] latin1 = "text,label\nfine,a\nalso fine,b\ncaf\u00e9,a\n".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(upload(tenant, "text/csv", latin1, "task", "text_classification"), 400, "invalid-utf8")
                .body("row", equalTo(4)).body("column", equalTo("text"));
        db.assertNothingKept(tenant);
    }

    @Test
    void nulBytesAre400() throws IOException {
        assertProblem(text("text,label\nok,a\nnot\0ok,b\n"), 400, "nul-byte").body("row", equalTo(3));
        db.assertNothingKept(tenant);
    }

    @Test
    void malformedCsvAndJsonLinesAre400() throws IOException {
        assertProblem(text("text,label\n\"unterminated,a\nmore,b\n"), 400, "malformed-csv");
        byte[] jsonl = "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\": \"b\", \"label\": }\n".getBytes(StandardCharsets.UTF_8);
        assertProblem(upload(tenant, "application/x-ndjson", jsonl, "task", "text_classification"), 400,
                "malformed-jsonl").body("row", equalTo(2));
        db.assertNothingKept(tenant);
    }

    @Test
    void emptyFilesAndHeaderOnlyFilesAre422() throws IOException {
        assertProblem(text(""), 422, "empty-dataset");
        assertProblem(text("text,label\n"), 422, "empty-dataset");
        db.assertNothingKept(tenant);
    }

    @Test
    void aFileWithoutAHeaderIs422() throws IOException {
        assertProblem(uploadCsv(tenant, "1.5,2,3\n4,5,6\n", "task", "tabular_regression"), 422, "missing-header")
                .body("row", equalTo(1));
        db.assertNothingKept(tenant);
    }

    @Test
    void aMissingLabelOrTargetColumnIs422() throws IOException {
        assertProblem(text("id,text,notes\n1,hello,x\n"), 422, "missing-column")
                .body("available_columns", equalTo(java.util.List.of("id", "text", "notes")));
        assertProblem(uploadCsv(tenant, "x,y\n1,2\n3,4\n", "task", "tabular_regression", "target_column", "price"),
                422, "missing-column").body("column", equalTo("price"));
        db.assertNothingKept(tenant);
    }

    @Test
    void aSingleClassIs422() throws IOException {
        assertProblem(text("text,label\na,pos\nb, pos\nc,pos \n"), 422, "single-class");
        db.assertNothingKept(tenant);
    }

    @Test
    void aNonNumericRegressionTargetIs422ListingTheRows() throws IOException {
        assertProblem(uploadCsv(tenant, "x,y\n1,2.5\n2,abc\n3,4\n4,1e3\n5,12 kg\n", "task", "tabular_regression"),
                422, "non-numeric-target")
                .body("row", equalTo(3)).body("column", equalTo("y"))
                .body("errors.row", equalTo(java.util.List.of(3, 6)))
                .body("totals.non_numeric_target", equalTo(2));
        db.assertNothingKept(tenant);
    }

    @Test
    void raggedRowsAre422() throws IOException {
        assertProblem(text("text,label\na,pos\nb,neg,extra\n"), 422, "ragged-row").body("row", equalTo(3));
        db.assertNothingKept(tenant);
    }

    @Test
    void missingOrUnknownTaskAndUnknownParametersAre400() throws IOException {
        assertProblem(uploadCsv(tenant, "text,label\na,pos\nb,neg\n"), 400, "invalid-dataset-options")
                .body("errors[0].field", equalTo("task"));
        assertProblem(uploadCsv(tenant, "text,label\na,pos\nb,neg\n", "task", "image_segmentation"), 400,
                "invalid-dataset-options").body("errors[0].field", equalTo("task"));
        assertProblem(uploadCsv(tenant, "text,label\na,pos\nb,neg\n", "task", "text_classification",
                "label_colum", "label"), 400, "invalid-dataset-options").body("errors[0].field", equalTo("label_colum"));
        assertProblem(uploadCsv(tenant, "text,label\na,pos\nb,neg\n", "task", "text_classification",
                "split_train", "0.9", "split_validation", "0.2", "split_test", "0.1"), 400, "invalid-dataset-options");
        assertProblem(uploadCsv(tenant, "text,label\na,pos\nb,neg\n", "task", "text_classification",
                "missing", "constant"), 400, "invalid-dataset-options")
                .body("errors[0].field", equalTo("cleaning.missing"));
        assertProblem(upload(tenant, "application/json", "{}".getBytes(StandardCharsets.UTF_8),
                "task", "text_classification"), 415, "unsupported-media-type");
        db.assertNothingKept(tenant);
    }

    @Test
    void aOneMebibyteFieldIsAcceptedAndOneByteMoreIs422() throws IOException {
        String atLimit = "a".repeat(1 << 20);
        TestTenant other = TestTenant.signUp("Long fields");
        uploadCsv(other, "text,label\n" + atLimit + ",pos\nshort,neg\n", "task", "text_classification")
                .then().statusCode(201);
        TestTenant refused = TestTenant.signUp("Too long fields");
        assertProblem(uploadCsv(refused, "text,label\n" + atLimit + "b,pos\nshort,neg\n", "task",
                "text_classification"), 422, "field-too-long")
                .body("row", equalTo(2)).body("column", equalTo("text")).body("limit", equalTo("max_field_bytes"))
                .body("max", equalTo(1 << 20));
        db.assertNothingKept(refused);
    }

    @Test
    void tenMegabytesAndOneByteUnderATenMegabytePlanIs413EarlyAndKeepsNothing() throws IOException {
        TestTenant small = TestTenant.signUp("Ten megabytes");
        long limit = 10_000_000;
        db.plan(small, limit, 1L << 40);
        byte[] over = csvOfExactly(limit + 1);
        // Declared by Content-Length: refused before the body is read.
        assertProblem(upload(small, "text/csv", over, "task", "text_classification"), 413, "payload-too-large")
                .header("Connection", "close")
                .body("max_bytes", equalTo((int) limit))
                .body("detail", containsString("10000000"));
        db.assertNothingKept(small);
        // Chunked, no length: refused at the byte that crosses the limit.
        assertProblem(DatasetFixture.as(small).contentType("text/csv").queryParam("task", "text_classification")
                .body(new java.io.ByteArrayInputStream(over)).post("/v1/datasets"), 413, "payload-too-large")
                .body("max_bytes", equalTo((int) limit));
        db.assertNothingKept(small);
        // Exactly the limit is accepted.
        upload(small, "text/csv", csvOfExactly(limit), "task", "text_classification").then().statusCode(201);
    }

    @Test
    void anUploadOverTheStorageCapIs403NamingTheCap() throws IOException {
        TestTenant capped = TestTenant.signUp("Capped");
        db.plan(capped, 10_000_000, 2_000);
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; csv.length() < 1_500; i++) {
            csv.append("review number ").append(i).append(i % 2 == 0 ? ",pos\n" : ",neg\n");
        }
        // Raw upload plus its processed version pass the cap of 2,000 bytes.
        assertProblem(uploadCsv(capped, csv.toString(), "task", "text_classification"), 403,
                "storage-quota-exceeded")
                .body("limit", equalTo(2000)).body("stored_bytes", equalTo(0))
                .body("detail", containsString("2000 bytes"));
        db.assertNothingKept(capped);
        assertProblem(upload(capped, "text/csv", csvOfExactly(5_000), "task", "text_classification"), 403,
                "storage-quota-exceeded");
        db.assertNothingKept(capped);
    }

    @Test
    void anUploadPastTheHardRowQuotaIs402AndKeepsNothing() throws IOException {
        TestTenant metered = TestTenant.signUp("Row metered");
        TestPlans.assign(metered, TestPlans.hardQuota("dataset_rows_ingested", 150));
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 100; i++) {
            csv.append("review number ").append(i).append(i % 2 == 0 ? ",pos\n" : ",neg\n");
        }
        uploadCsv(metered, csv.toString(), "task", "text_classification").then().statusCode(201);
        var blobsBefore = DatasetFixture.blobs(metered.id());
        // 100 of 150 rows are used: another 100 would pass the quota.
        assertProblem(uploadCsv(metered, csv.toString().replace("review", "opinion"), "task",
                "text_classification"), 402, "quota-exceeded")
                .body("meter", equalTo("dataset_rows_ingested"))
                .body("limit", equalTo(150))
                .body("used", equalTo(100));
        metered.owner().api().get("/v1/datasets").then().statusCode(200).body("data.size()", equalTo(1));
        org.junit.jupiter.api.Assertions.assertEquals(blobsBefore, DatasetFixture.blobs(metered.id()), "no blob kept");
    }

    @Test
    void raisingTheHttpBodyLimitForUploadsKeepsJsonBodiesSmallEvenWithoutALength() {
        byte[] huge = ("{\"name\": \"" + "x".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Response response = tenant.owner().api().contentType("application/json")
                .body(new java.io.ByteArrayInputStream(huge)).post("/v1/tenants");
        org.junit.jupiter.api.Assertions.assertEquals(413, response.statusCode(), response.asString());
    }

    /** A valid text CSV of exactly {@code size} bytes (two classes, distinct rows). */
    static byte[] csvOfExactly(long size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        byte[] header = "text,label\n".getBytes(StandardCharsets.US_ASCII);
        out.write(header, 0, header.length);
        long row = 0;
        while (out.size() + 40 < size) {
            String line = String.format("review %020d about it,%s\n", row, row % 2 == 0 ? "pos" : "neg");
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes, 0, bytes.length);
            row++;
        }
        int rest = (int) (size - out.size());
        byte[] last = new byte[rest];
        Arrays.fill(last, (byte) 'x');
        last[rest - 5] = ',';
        last[rest - 4] = 'p';
        last[rest - 3] = 'o';
        last[rest - 2] = 's';
        last[rest - 1] = '\n';
        out.write(last, 0, rest);
        return out.toByteArray();
    }
}
