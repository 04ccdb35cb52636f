package io.modelyard.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The queue operations that work across tenants, before any tenant is known: claim, heartbeat, reap. Each is
 * one call of a narrow SECURITY DEFINER function (V20__jobs.sql) in its own short transaction.
 */
@ApplicationScoped
class JobQueue {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** A job whose lease had expired, and what the reaper did with it. */
    record Reaped(String jobId, String outcome) {
    }

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    JobQueue(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Claims the next job this worker may run, fairly across tenants, or nothing. */
    Optional<ClaimedJob> claim(String owner, Collection<String> types, Duration lease) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement("select id, tenant_id, type, attempt,"
                        + " max_attempts, runs, cast(payload as text) from claim_job(?, ?, ?)")) {
            claim.setString(1, owner);
            claim.setArray(2, connection.createArrayOf("text", types.toArray()));
            claim.setDouble(3, Backoff.seconds(lease));
            try (ResultSet row = claim.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ClaimedJob(row.getString(1), row.getString(2), row.getString(3),
                        row.getInt(4), row.getInt(5), row.getInt(6), json.readValue(row.getString(7), OBJECT),
                        owner));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not claim a job", e);
        }
    }

    /**
     * Renews the leases of these runs.
     *
     * @return the state of every job still held; a job missing here is no longer this worker's
     */
    Map<String, JobState> heartbeat(String owner, Collection<LeaseToken> tokens, Duration lease) {
        List<String> ids = new ArrayList<>();
        List<Integer> runs = new ArrayList<>();
        for (LeaseToken token : tokens) {
            ids.add(token.jobId());
            runs.add(token.run());
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement heartbeat = connection.prepareStatement(
                        "select job_id, job_state from heartbeat_jobs(?, ?, ?, ?)")) {
            heartbeat.setString(1, owner);
            heartbeat.setArray(2, connection.createArrayOf("text", ids.toArray()));
            heartbeat.setArray(3, connection.createArrayOf("int4", runs.toArray()));
            heartbeat.setDouble(4, Backoff.seconds(lease));
            Map<String, JobState> held = new HashMap<>();
            try (ResultSet rows = heartbeat.executeQuery()) {
                while (rows.next()) {
                    held.put(rows.getString(1), JobState.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)));
                }
            }
            return held;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not renew job leases", e);
        }
    }

    /** Returns jobs whose lease expired to the queue, or ends them (up to 100 per call). */
    List<Reaped> reap(Duration backoffBase, Duration backoffMax) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement reap = connection.prepareStatement(
                        "select job_id, outcome from reap_expired_jobs(?, ?)")) {
            reap.setDouble(1, Backoff.seconds(backoffBase));
            reap.setDouble(2, Backoff.seconds(backoffMax));
            List<Reaped> reaped = new ArrayList<>();
            try (ResultSet rows = reap.executeQuery()) {
                while (rows.next()) {
                    reaped.add(new Reaped(rows.getString(1), rows.getString(2)));
                }
            }
            return reaped;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not reap expired job leases", e);
        }
    }
}
