package io.modelyard.dataset.api;

import static io.modelyard.dataset.api.DatasetFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.MalformedUploads;
import io.modelyard.testing.MalformedUploads.Body;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * 1,200 generated malformed uploads — CSV, JSON Lines and multipart, each broken in at least one way a real client
 * breaks them (truncated, wrong encodings, NULs, unbalanced quotes, ragged rows, missing columns, formula cells
 * around a real fault, bodies that are not what their type says, broken multipart framing) — and every answer is
 * a 4xx problem+json, never a 5xx, and nothing is kept. Seeded: a failure names the body that caused it.
 */
@QuarkusTest
class UploadFuzzTest {

    private static final int BODIES = 1200;
    private static final long SEED = 20261206L;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void everyMalformedUploadIsA4xxProblemAndKeepsNothing() throws Exception {
        TestTenant tenant = TestTenant.signUp("Fuzzed");
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<Body> bodies = MalformedUploads.generate(BODIES, SEED);
        for (int i = 0; i < bodies.size(); i++) {
            Body body = bodies.get(i);
            var request = as(tenant).contentType(body.contentType()).body(body.bytes());
            for (var q : body.query().entrySet()) {
                request = request.queryParam(q.getKey(), q.getValue());
            }
            Response response = request.post("/v1/datasets");
            statuses.merge(response.statusCode(), 1, Integer::sum);
            String type = response.contentType() == null ? "" : response.contentType();
            if (response.statusCode() < 400 || response.statusCode() >= 500 || !type.startsWith("application/problem+json")) {
                failures.add("#" + i + " " + body.kind() + ": " + response.statusCode() + " " + type + " "
                        + abbreviate(response.asString()));
            }
        }
        assertEquals(List.of(), failures, "answers by status: " + statuses);
        new DatasetFixture(schemaOwner).assertNothingKept(tenant);
        assertTrue(statuses.keySet().stream().allMatch(s -> s >= 400 && s < 500), statuses.toString());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
