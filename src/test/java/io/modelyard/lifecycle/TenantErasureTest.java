package io.modelyard.lifecycle;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static io.modelyard.testing.TestTenant.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.storage.BlobEntry;
import io.modelyard.storage.BlobStore;
import io.modelyard.storage.Sha256;
import io.modelyard.storage.encryption.DataKeyDestroyedException;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.SimultaneousRequests;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * Deleting a whole tenant through the API, restoring it, and its erasure: nothing of it left in any table with a
 * tenant column (but the billing records kept by law, without personal data) or in the blob store, and nothing of
 * another tenant changed.
 */
@QuarkusTest
class TenantErasureTest {

    static final Map<String, Object> TINY = Map.of("epochs", 2, "batch_size", 32, "learning_rate", 0.01,
            "embedding_size", 16, "hidden_size", 16, "max_sequence_length", 16, "vocabulary_size", 300,
            "layers", 1, "heads", 2, "dropout", 0.1);

    final TestUser operator = Keycloak.operator();

    @Inject
    TenantPurge purge;

    @Inject
    BlobStore blobs;

    @Inject
    Config config;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aDeletedTenantStopsAtOnceAndItsOwnerCanRestoreIt() {
        TestTenant tenant = TestTenant.signUp("Second thoughts");
        TestTenant neighbour = TestTenant.signUp("Neighbour");
        TestUser admin = tenant.addMember("admin");
        String key = tenant.apiKey("admin");
        withKey(key).get("/v1/members").then().statusCode(200);   // the key is cached now
        String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(120, 3));
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters",
                Map.of("epochs", 200, "batch_size", 8))).post("/v1/training-jobs").then().statusCode(202)
                .extract().path("id");

        assertProblem(admin.api().delete("/v1/tenants/" + tenant.id() + "?confirm=Second thoughts"), 403,
                "insufficient-role");
        assertProblem(withKey(key).delete("/v1/tenants/" + tenant.id() + "?confirm=Second thoughts"), 403,
                "people-only");
        assertProblem(neighbour.owner().api().delete("/v1/tenants/" + tenant.id() + "?confirm=Second thoughts"),
                404, "not-found");
        assertProblem(tenant.owner().api().delete("/v1/tenants/" + tenant.id() + "?confirm=second thoughts"), 400,
                "validation-failed");
        assertProblem(tenant.owner().api().delete("/v1/tenants/" + tenant.id()), 400, "validation-failed");
        tenant.owner().api().get("/v1/datasets").then().statusCode(200);   // nothing happened

        Instant before = Instant.now();
        String eraseAfter = tenant.owner().api().delete("/v1/tenants/" + tenant.id() + "?confirm=Second thoughts")
                .then().statusCode(202)
                .body("status", equalTo("deleting"))
                .body("erase_after", notNullValue())
                .extract().path("erase_after");
        Duration grace = Duration.between(before, Instant.parse(eraseAfter));
        assertTrue(grace.compareTo(Duration.ofDays(7).minusMinutes(1)) > 0 && grace.compareTo(Duration.ofDays(7)
                .plusMinutes(1)) < 0, "erased in 7 days, not " + grace);

        assertProblem(withKey(key).get("/v1/members"), 401, "tenant-deleted");
        assertProblem(tenant.owner().api().get("/v1/datasets"), 401, "tenant-deleted");
        assertProblem(admin.api().get("/v1/models"), 401, "tenant-deleted");
        neighbour.owner().api().get("/v1/datasets").then().statusCode(200);
        // Deleting it again changes nothing; its erasure date stays.
        tenant.owner().api().delete("/v1/tenants/" + tenant.id() + "?confirm=Second thoughts").then()
                .statusCode(202).body("erase_after", equalTo(eraseAfter));

        assertProblem(admin.api().post("/v1/tenants/" + tenant.id() + "/restore"), 403, "insufficient-role");
        assertProblem(neighbour.owner().api().post("/v1/tenants/" + tenant.id() + "/restore"), 404, "not-found");
        tenant.owner().api().post("/v1/tenants/" + tenant.id() + "/restore").then().statusCode(200)
                .body("status", equalTo("active"));
        assertProblem(tenant.owner().api().post("/v1/tenants/" + tenant.id() + "/restore"), 409,
                "tenant-not-deleted");

        withKey(key).get("/v1/members").then().statusCode(200);
        tenant.owner().api().get("/v1/dataset-versions/" + version).then().statusCode(200);
        // Its queue was not restored: the training job was cancelled when the tenant was deleted.
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() ->
                "cancelled".equals(tenant.owner().api().get("/v1/training-jobs/" + job).then().statusCode(200)
                        .extract().path("state")));
        tenant.owner().api().get("/v1/audit-events?action=tenant.deleted").then().statusCode(200)
                .body("data[0].details.erase_after", equalTo(eraseAfter));
        tenant.owner().api().get("/v1/audit-events?action=tenant.restored").then().statusCode(200)
                .body("data.size()", equalTo(1));
    }

    @Test
    void operatorsDeleteAndRestoreAnyTenant() {
        TestTenant tenant = TestTenant.signUp("Operated");
        assertProblem(tenant.owner().api().delete("/v1/admin/tenants/" + tenant.id() + "?confirm=Operated"), 403,
                "forbidden");
        assertProblem(operator.api().delete("/v1/admin/tenants/" + tenant.id() + "?confirm=Operated&grace=P30D"),
                400, "validation-failed");
        assertProblem(operator.api().delete("/v1/admin/tenants/" + tenant.id() + "?confirm=Operated&grace=soon"),
                400, "validation-failed");
        assertProblem(operator.api().delete("/v1/admin/tenants/ten_nosuchtenant?confirm=Operated"), 404,
                "not-found");
        operator.api().delete("/v1/admin/tenants/" + tenant.id() + "?confirm=Operated&grace=P1D").then()
                .statusCode(202).body("status", equalTo("deleting"));
        assertProblem(operator.api().post("/v1/admin/tenants/" + tenant.id() + "/suspend"), 409, "tenant-deleted");
        operator.api().get("/v1/admin/tenants?status=deleting&limit=100").then().statusCode(200)
                .body("data.id", hasItem(tenant.id()));
        operator.api().post("/v1/admin/tenants/" + tenant.id() + "/restore").then().statusCode(200)
                .body("status", equalTo("active"));
        tenant.owner().api().get("/v1/members").then().statusCode(200);
    }

    @Test
    void aJobCreatedAsTheTenantIsDeletedIsCancelledWithTheRestOfItsQueue() {
        for (int round = 0; round < 4; round++) {
            String name = "Racing deletion " + round;
            TestTenant tenant = TestTenant.signUp(name);
            TestPlans.assign(tenant, TestPlans.unlimited());
            String version = Datasets.upload(tenant.owner().api(), "Texts", "text_classification",
                    GeneratedData.topics(120, 40 + round));
            Map<String, Object> body = Map.of("dataset_version_id", version, "hyperparameters",
                    Map.of("epochs", 200, "batch_size", 8));
            SimultaneousRequests.Answers answers = SimultaneousRequests.send(
                    () -> tenant.owner().api().delete("/v1/tenants/" + tenant.id() + "?confirm=" + name),
                    () -> tenant.owner().api().body(body).post("/v1/training-jobs"));
            assertEquals(202, answers.first().statusCode(), answers.first().asString());
            int queued = answers.second().statusCode();
            // The job went first (and the deletion cancelled it) or the deletion did (and the job was refused).
            assertTrue(queued == 202 || queued == 401, answers.second().asString());
            tenant.owner().api().post("/v1/tenants/" + tenant.id() + "/restore").then().statusCode(200);
            if (queued == 202) {
                String job = answers.second().path("id");
                Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() ->
                        "cancelled".equals(tenant.owner().api().get("/v1/training-jobs/" + job).then()
                                .statusCode(200).extract().path("state")));
            }
            tenant.owner().api().get("/v1/training-jobs?state=queued").then().body("data.size()", equalTo(0));
        }
    }

    @Test
    void anErasedTenantLeavesNothingButItsBillingRecordsAndNoOtherTenantChanges() throws Exception {
        TestTenant victim = TestTenant.signUp("Leaving Ltd");
        TestPlans.assign(victim, TestPlans.unlimited());
        TestTenant bystander = TestTenant.signUp("Staying Ltd");
        TestPlans.assign(bystander, TestPlans.unlimited());
        victim.addMember("viewer");
        String predictKey = victim.apiKey("predict");
        String rotated = victim.owner().api().body(Map.of("name", "rotating", "scopes", List.of("read")))
                .post("/v1/api-keys").then().statusCode(201).extract().path("id");
        victim.owner().api().body(Map.of()).post("/v1/api-keys/" + rotated + "/rotate").then().statusCode(201);
        String version = Datasets.upload(victim.owner().api(), "Texts", "text_classification",
                GeneratedData.topics(120, 7));
        Datasets.upload(victim.owner().api(), "More texts", "text_classification", GeneratedData.topics(60, 8));
        String model = train(victim, version);
        victim.owner().api().body(Map.of("model_id", model)).put("/v1/model-aliases/production").then()
                .statusCode(200);
        withKey(predictKey).body(Map.of("inputs", List.of("the match ended in a draw"))).post(
                "/v1/models/production/predict").then().statusCode(200);
        String batch = victim.owner().api().body(Map.of("model", model, "dataset_version_id", version, "format",
                "csv")).post("/v1/batch-predictions").then().statusCode(202).extract().path("id");
        awaitJob(victim, "/v1/batch-predictions/" + batch);

        String bystanderVersion = Datasets.upload(bystander.owner().api(), "Theirs", "text_classification",
                GeneratedData.topics(120, 9));
        String bystanderModel = train(bystander, bystanderVersion);
        String bystanderKey = bystander.apiKey("predict");
        withKey(bystanderKey).body(Map.of("inputs", List.of("a vote in parliament"))).post(
                "/v1/models/" + bystanderModel + "/predict").then().statusCode(200);
        Map<String, Long> bystanderRows = withoutMetering(rowsByTable(bystander.id()));
        List<String> bystanderLedger = ledgerIds(bystander.id());
        Map<String, String> bystanderBlobs = blobHashes(bystander.id());
        assertTrue(rowsByTable(victim.id()).get("models") > 0 && !blobHashes(victim.id()).isEmpty());

        String predictKeyId = victim.owner().api().get("/v1/api-keys").then().extract()
                .path("data.find { it.scopes == ['predict'] }.id");
        assertEquals(1, scalar("select count(*) from rate_buckets where key = 'k:' || ?", predictKeyId),
                "the key's rate bucket, before");
        operator.api().delete("/v1/admin/tenants/" + victim.id() + "?confirm=Leaving Ltd&grace=PT0S").then()
                .statusCode(202).body("status", equalTo("deleting"));
        assertTrue(purge.dueTenants().contains(victim.id()));
        assertProblem(withKey(predictKey).body(Map.of("inputs", List.of("x"))).post(
                "/v1/models/production/predict"), 401, "tenant-deleted");

        // A copy of one of its blobs, as a backup of the store would hold it.
        String copiedKey = blobHashes(victim.id()).keySet().iterator().next();
        Path stored = Path.of(config.getValue("modelyard.storage.dir", String.class)).resolve(copiedKey);
        byte[] backup = Files.readAllBytes(stored);

        // Killed after two batches: blobs are gone, some rows remain, and the tenant can no longer be restored.
        TenantPurge.Outcome halfway = purge.purge(victim.id(), 2);
        assertFalse(halfway.finished());
        assertTrue(blobHashes(victim.id()).isEmpty(), "blobs go first");
        assertTrue(rowsByTable(victim.id()).values().stream().mapToLong(Long::longValue).sum() > 0);
        assertProblem(operator.api().post("/v1/admin/tenants/" + victim.id() + "/restore"), 409,
                "erasure-started");

        TenantPurge.Outcome rest = purge.purge(victim.id(), Integer.MAX_VALUE);
        assertTrue(rest.finished());

        Map<String, Long> left = rowsByTable(victim.id());
        for (Map.Entry<String, Long> table : left.entrySet()) {
            if (!List.of("tenants", "usage_events", "usage_daily", "plan_changes", "credit_grants",
                    "billing_accounts", "tenant_data_keys").contains(table.getKey())) {
                assertEquals(0L, table.getValue(), "rows of the erased tenant left in " + table.getKey());
            }
        }
        assertTrue(left.get("usage_events") > 0, "the usage ledger is kept for the law");
        assertEquals(0, scalar("select count(*) from usage_events where tenant_id = ? and attributes <> '{}'",
                victim.id()), "without personal data");
        assertEquals(0, scalar("select count(*) from idempotency_keys where scope = ?", victim.id()));
        assertEquals(0, scalar("select count(*) from rate_buckets where key = 'k:' || ?", predictKeyId),
                "its API keys' rate buckets");
        assertEquals(1, scalar("select count(*) from tenants where id = ? and status = 'erased'"
                + " and name = 'erased tenant' and created_by = 'erased'", victim.id()));
        assertTrue(blobHashes(victim.id()).isEmpty());
        assertEquals(1, scalar("select count(*) from tenant_data_keys where tenant_id = ? and wrapped_key is null"
                + " and destroyed_at is not null", victim.id()), "its data key is destroyed");
        // The backup put back where it was cannot be read: its key is gone (crypto-shredding).
        Files.createDirectories(stored.getParent());
        Files.write(stored, backup);
        try {
            assertThrows(DataKeyDestroyedException.class, () -> blobs.open(copiedKey, null).readAllBytes());
        } finally {
            Files.delete(stored);
        }

        assertEquals(bystanderRows, withoutMetering(rowsByTable(bystander.id())), "the other tenant's rows");
        assertTrue(ledgerIds(bystander.id()).containsAll(bystanderLedger), "the other tenant's ledger");
        assertEquals(bystanderBlobs, blobHashes(bystander.id()), "the other tenant's blobs are untouched");
        withKey(bystanderKey).body(Map.of("inputs", List.of("a vote in parliament"))).post(
                "/v1/models/" + bystanderModel + "/predict").then().statusCode(200);

        // 401 either way: tenant-deleted while an instance still remembers the key, unauthenticated after.
        withKey(predictKey).body(Map.of("inputs", List.of("x"))).post("/v1/models/production/predict").then()
                .statusCode(401);
        victim.owner().api().get("/v1/tenants").then().statusCode(200)
                .body("data.id", not(hasItem(victim.id())));
        assertFalse(purge.dueTenants().contains(victim.id()));
        assertThrows(IllegalStateException.class, () -> purge.purge(victim.id(), 10), "erased once, not twice");
        assertProblem(operator.api().post("/v1/admin/tenants/" + victim.id() + "/restore"), 404, "not-found");
        operator.api().get("/v1/admin/tenants/" + victim.id()).then().statusCode(200)
                .body("status", equalTo("erased"));

        // Once the kept records' retention has passed, they go with the tombstone (the ledger has no foreign key
        // to cascade from: its deletion is explicit), and nobody else's go with them.
        update("update tenants set erased_at = timestamptz '2000-01-01 00:00:00Z' where id = ?", victim.id());
        assertTrue(purge.retireErasedTenants() >= 1);
        assertEquals(0, scalar("select count(*) from tenants where id = ?", victim.id()), "the tombstone");
        assertEquals(0, scalar("select count(*) from usage_events where tenant_id = ?", victim.id()), "its ledger");
        assertEquals(0, scalar("select count(*) from usage_daily where tenant_id = ?", victim.id()), "its roll-up");
        assertTrue(ledgerIds(bystander.id()).containsAll(bystanderLedger), "the other tenant's ledger");
        operator.api().get("/v1/admin/tenants/" + victim.id()).then().statusCode(404);
    }

    private static String train(TestTenant tenant, String version) {
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters", TINY))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        Map<String, Object> done = awaitJob(tenant, "/v1/training-jobs/" + job);
        assertEquals("succeeded", done.get("state"), "training " + done);
        return (String) done.get("model_id");
    }

    private static Map<String, Object> awaitJob(TestTenant tenant, String path) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] last = new Map[1];
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> {
            last[0] = tenant.owner().api().get(path).then().statusCode(200).extract().as(Map.class);
            return List.of("succeeded", "failed", "cancelled").contains(last[0].get("state"));
        });
        return last[0];
    }

    /** Every table with a tenant column, and how many rows of {@code tenantId} it holds (as the schema owner). */
    private Map<String, Long> rowsByTable(String tenantId) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = schemaOwner.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = connection.createStatement().executeQuery("select c.table_name"
                    + " from information_schema.columns c join information_schema.tables t"
                    + " using (table_schema, table_name) where c.table_schema = 'public' and c.column_name ="
                    + " 'tenant_id' and t.table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            tables.add("tenants");
            for (String table : tables) {
                String column = table.equals("tenants") ? "id" : "tenant_id";
                try (PreparedStatement count = connection.prepareStatement(
                        "select count(*) from " + table + " where " + column + " = ?")) {
                    count.setString(1, tenantId);
                    try (ResultSet row = count.executeQuery()) {
                        row.next();
                        counts.put(table, row.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    /**
     * Without what the platform itself keeps writing for every tenant (storage sampling, aggregation of the
     * ledger into counters and roll-ups, quota leases); the ledger is compared by its event ids.
     */
    private static Map<String, Long> withoutMetering(Map<String, Long> rows) {
        Map<String, Long> owned = new TreeMap<>(rows);
        owned.keySet().removeIf(table -> table.startsWith("usage_") || table.startsWith("quota_"));
        return owned;
    }

    private List<String> ledgerIds(String tenantId) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select id from usage_events where tenant_id = ? order by id")) {
            statement.setString(1, tenantId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private void update(String sql, String tenantId) throws SQLException {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            assertEquals(1, statement.executeUpdate());
        }
    }

    private long scalar(String sql, String tenantId) throws SQLException {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private Map<String, String> blobHashes(String tenantId) {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<BlobEntry> entries = blobs.list("tenants/" + tenantId + "/")) {
            entries.forEach(entry -> {
                try (InputStream in = blobs.open(entry.key(), null)) {
                    hashes.put(entry.key(), Sha256.of(in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return hashes;
    }
}
