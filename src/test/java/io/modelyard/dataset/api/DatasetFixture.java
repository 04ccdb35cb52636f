package io.modelyard.dataset.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.TestTenant;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the dataset API tests share: uploads as a tenant's owner, and looks behind the API — the rows (through
 * the schema owner's connection, which row-level security does not filter) and the blob directory of the test
 * profile ({@code target/test-blobs}).
 */
final class DatasetFixture {

    static final Path BLOBS = Path.of("target/test-blobs");

    private final AgroalDataSource schemaOwner;

    DatasetFixture(AgroalDataSource schemaOwner) {
        this.schemaOwner = schemaOwner;
    }

    static RequestSpecification as(TestTenant tenant) {
        return tenant.owner().api(tenant.id());
    }

    /** A raw CSV upload with query parameters (key, value, key, value, ...). */
    static Response uploadCsv(TestTenant tenant, String csv, Object... query) {
        return upload(tenant, "text/csv", csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), query);
    }

    static Response upload(TestTenant tenant, String contentType, byte[] body, Object... query) {
        RequestSpecification request = as(tenant).contentType(contentType).body(body);
        for (int i = 0; i < query.length; i += 2) {
            request = request.queryParam(String.valueOf(query[i]), query[i + 1]);
        }
        return request.post("/v1/datasets");
    }

    /** Rows of a table that belong to {@code tenantId}, as the schema owner sees them. */
    long rows(String table, String tenantId) {
        return count("select count(*) from " + table + " where tenant_id = ?", tenantId);
    }

    long count(String sql, Object... params) {
        try (Connection c = schemaOwner.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql, Object... params) {
        try (Connection c = schemaOwner.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the tenant on a plan of its own with these limits. */
    void plan(TestTenant tenant, long maxUploadBytes, long storageCapBytes) {
        String name = "test-" + tenant.id().substring(4).toLowerCase();
        execute("insert into plans (name, display_name, max_upload_bytes, storage_cap_bytes, max_concurrent_jobs)"
                + " values (?, ?, ?, ?, 1)", name, "Test plan", maxUploadBytes, storageCapBytes);
        execute("update tenants set plan = ? where id = ?", name, tenant.id());
    }

    /** Every blob key stored for a tenant. */
    static List<String> blobs(String tenantId) throws IOException {
        Path dir = BLOBS.resolve("tenants").resolve(tenantId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> BLOBS.relativize(p).toString()).sorted().toList();
        }
    }

    /** Unfinished blob writes and candidate files of any upload. */
    static List<String> leftovers() throws IOException {
        List<String> left = new java.util.ArrayList<>();
        for (Path dir : List.of(BLOBS.resolve(".tmp"), Path.of("target/test-work"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(p -> left.add(p.toString()));
                }
            }
        }
        return left;
    }

    /** A refused upload left nothing: no dataset or version row, no blob, no temporary file. */
    void assertNothingKept(TestTenant tenant) throws IOException {
        assertEquals(0, rows("datasets", tenant.id()), "dataset rows");
        assertEquals(0, rows("dataset_versions", tenant.id()), "version rows");
        assertEquals(List.of(), blobs(tenant.id()), "blobs");
        assertEquals(List.of(), leftovers(), "temporary files");
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        return map;
    }
}
