package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.uploadCsv;
import static io.modelyard.testing.ProblemAssertions.assertProblem;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * When the blob store fails under an upload, the client is told it is an outage (503 with Retry-After, the same
 * request will work later) and nothing is half-recorded; once the store is back, the same upload works.
 */
@QuarkusTest
class BlobStoreOutageTest {

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void anUploadDuringABlobStoreFailureIsA503AndKeepsNothing() throws Exception {
        TestTenant tenant = TestTenant.signUp("Storage outage");
        // The tenant's directory of the filesystem store is a file: every write under it fails.
        Path tenantDir = DatasetFixture.BLOBS.resolve("tenants").resolve(tenant.id());
        Files.createDirectories(tenantDir.getParent());
        Files.writeString(tenantDir, "in the way");
        try {
            assertProblem(uploadCsv(tenant, GeneratedData.topics(40, 3), "task", "text_classification"), 503,
                    "storage-unavailable").header("Retry-After", "5");
            new DatasetFixture(schemaOwner).assertNothingKept(tenant);
        } finally {
            Files.delete(tenantDir);
        }
        uploadCsv(tenant, GeneratedData.topics(40, 3), "task", "text_classification").then().statusCode(201);
    }
}
