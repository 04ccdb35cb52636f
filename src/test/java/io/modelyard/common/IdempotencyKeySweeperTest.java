package io.modelyard.common;

import static io.modelyard.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestUser;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Idempotency-Key replays its first answer for a day; once the sweeper has forgotten it, the same key makes a
 * new object, and the stored answer (here a tenant's name) is gone from the database.
 */
@QuarkusTest
class IdempotencyKeySweeperTest {

    @Inject
    IdempotencyKeySweeper sweeper;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aKeyReplaysForADayAndIsForgottenAfter() throws SQLException {
        TestUser person = Keycloak.newUser("retrier");
        String first = person.api().header("Idempotency-Key", "sweep-old").body(Map.of("name", "Old Key Co"))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");
        String recent = person.api().header("Idempotency-Key", "sweep-new").body(Map.of("name", "New Key Co"))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");
        assertEquals(1, age("sweep-old", first), "the first key made a day and an hour older");

        assertTrue(sweeper.sweep() >= 1);

        // The old key is free again: another body makes another tenant instead of a 409.
        String second = person.api().header("Idempotency-Key", "sweep-old").body(Map.of("name", "Old Key Again"))
                .post("/v1/tenants").then().statusCode(201).header("Idempotent-Replayed", (String) null)
                .extract().path("id");
        assertNotEquals(first, second);
        // The recent one still replays, and still refuses another body.
        person.api().header("Idempotency-Key", "sweep-new").body(Map.of("name", "New Key Co")).post("/v1/tenants")
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("id", equalTo(recent));
        assertProblem(person.api().header("Idempotency-Key", "sweep-new").body(Map.of("name", "Other Co"))
                .post("/v1/tenants"), 409, "idempotency-key-reused");
        assertEquals(0, count("select count(*) from idempotency_keys where response_body->>'name' = ?",
                "Old Key Co"), "the forgotten answer is gone");
    }

    /** Moves a key's creation a day and an hour back, as if it had been made then. */
    private int age(String key, String tenantId) throws SQLException {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement("update idempotency_keys set created_at"
                        + " = created_at - interval '25 hours' where key = ? and response_body->>'id' = ?")) {
            statement.setString(1, key);
            statement.setString(2, tenantId);
            return statement.executeUpdate();
        }
    }

    private long count(String sql, String value) throws SQLException {
        try (Connection connection = schemaOwner.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
