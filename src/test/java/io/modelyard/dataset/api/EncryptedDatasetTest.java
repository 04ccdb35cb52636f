package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encryption at rest, end to end: what an upload leaves on disk is not the CSV, and the API reads it back. */
@QuarkusTest
class EncryptedDatasetTest {

    @Test
    void anUploadedDatasetIsUnreadableOnDiskAndReadableThroughTheApi() throws Exception {
        TestTenant tenant = TestTenant.signUp("Encrypted at rest");
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("confidential customer remark ").append(i).append(',').append(i % 2 == 0 ? "a" : "b")
                    .append('\n');
        }
        String version = uploadCsv(tenant, csv.toString(), "task", "text_classification").then().statusCode(201)
                .extract().path("latest_version.id");

        List<String> blobs = DatasetFixture.blobs(tenant.id());
        assertFalse(blobs.isEmpty(), "the upload stored blobs");
        for (String blob : blobs) {
            String stored = new String(Files.readAllBytes(DatasetFixture.BLOBS.resolve(blob)),
                    StandardCharsets.ISO_8859_1);
            assertTrue(stored.startsWith("\0MYENC"), blob + " is encrypted");
            assertFalse(stored.contains("confidential customer remark"), blob + " holds plaintext");
            assertFalse(stored.contains("text,label"), blob + " holds plaintext");
        }

        as(tenant).queryParam("offset", 2000).queryParam("limit", 3)
                .get("/v1/dataset-versions/" + version + "/rows").then().statusCode(200)
                .body("data", hasSize(3)).body("data[0].index", equalTo(2000))
                .body("data[0].values.text", equalTo("confidential customer remark 2000"));
    }
}
