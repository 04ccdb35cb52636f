package io.modelyard.dataset.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.modelyard.dataset.DatasetBlobSweeper;
import io.modelyard.storage.BlobStore;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away half-way through an upload leaves nothing: not while the server notices, and not
 * after the orphan sweeper has run (which also removes what a crash left between storing and recording).
 */
@QuarkusTest
class InterruptedUploadTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Inject
    DatasetBlobSweeper sweeper;

    @Inject
    BlobStore blobs;

    @Test
    void aClientClosingTheSocketMidBodyLeavesNothing() throws Exception {
        TestTenant tenant = TestTenant.signUp("Interrupted");
        byte[] csv = DatasetRejectionTest.csvOfExactly(4_000_000);
        for (boolean chunked : List.of(false, true)) {
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                String head = "POST /v1/datasets?task=text_classification HTTP/1.1\r\n"
                        + "Host: localhost\r\n"
                        + "Authorization: Bearer " + tenant.owner().token() + "\r\n"
                        + "Modelyard-Tenant: " + tenant.id() + "\r\n"
                        + "Content-Type: text/csv\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + csv.length + "\r\n")
                        + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                int half = csv.length / 2;
                if (chunked) {
                    out.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(csv, 0, half);
                out.flush();
                // The upload streams to storage while the body arrives: its unfinished blob files exist now.
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !DatasetFixture.leftovers().isEmpty());
            } // closed half-way
        }
        DatasetFixture db = new DatasetFixture(schemaOwner);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertEquals(List.of(), DatasetFixture.leftovers(), "temporary files");
            assertEquals(List.of(), DatasetFixture.blobs(tenant.id()), "blobs");
        });
        sweeper.sweep(Duration.ZERO);
        db.assertNothingKept(tenant);
    }

    @Test
    void theSweeperRemovesUnreferencedDatasetBlobsOnly() throws IOException {
        TestTenant tenant = TestTenant.signUp("Sweeps");
        String kept = DatasetFixture.uploadCsv(tenant, DatasetUploadTest.REVIEWS, "task", "text_classification",
                "label_column", "stars").then().statusCode(201).extract().path("id");
        // What a crash between storing and recording leaves, and a model artifact the sweep must not touch.
        String orphan = "tenants/" + tenant.id() + "/datasets/ds_crashed/raw.csv";
        String model = "tenants/" + tenant.id() + "/models/mdl_x/model.zip";
        blobs.put(orphan, new ByteArrayInputStream("text,label\n".getBytes(StandardCharsets.UTF_8)), 100);
        blobs.put(model, new ByteArrayInputStream(new byte[] {1, 2, 3}), 100);
        sweeper.sweep(Duration.ofHours(1));
        assertEquals(true, blobs.exists(orphan), "younger than the grace period: kept");
        sweeper.sweep(Duration.ZERO);
        assertEquals(false, blobs.exists(orphan));
        assertEquals(true, blobs.exists(model));
        assertEquals(3, DatasetFixture.blobs(tenant.id()).size(), "the dataset's two blobs and the model");
        blobs.delete(model);
        DatasetFixture.as(tenant).get("/v1/datasets/" + kept + "/versions").then().statusCode(200);
    }
}
