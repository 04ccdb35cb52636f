package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.RollbackException;
import java.sql.SQLException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

/** An outage of the database answers 503 however the failure is wrapped; a bug stays a 500. */
class DependencyFailuresTest {

    @Test
    void aCommitTheDatabaseDroppedIsAnOutage() {
        // What Narayana throws when PostgreSQL restarts during a commit (seen by bench/chaos.sh under uploads):
        // the connection error is suppressed in the rollback, not its cause.
        RollbackException rollback = new RollbackException("ARJUNA016053: Could not commit transaction.");
        XAException xa = new XAException("Error trying to transactionCommit local transaction");
        xa.initCause(new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        rollback.addSuppressed(xa);
        RuntimeException wrapped = new RuntimeException("Error invoking subclass method", rollback);

        ProblemException problem = DependencyFailures.of(wrapped).orElseThrow();
        assertEquals(503, problem.status());
        assertEquals("5", problem.headers().get("Retry-After"));
    }

    @Test
    void aBugIsNoOutage() {
        RuntimeException bug = new IllegalStateException("a bug", new SQLException("syntax error", "42601"));
        bug.addSuppressed(new IllegalArgumentException("also a bug"));
        assertTrue(DependencyFailures.of(bug).isEmpty());
    }
}
