package io.modelyard.common;

import io.quarkus.oidc.OIDCException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a dependency's outage from a bug: a lost or refused database connection (SQLSTATE class 08, an
 * administrator shutdown 57P0x, the pool's acquisition timeout), an OpenID Connect provider that cannot be
 * reached, or a {@link DependencyFailure} anywhere in the cause chain. Such requests answer 503 with Retry-After;
 * everything else stays a 500.
 */
final class DependencyFailures {

    static final String RETRY_AFTER_SECONDS = "5";

    private DependencyFailures() {
    }

    static Optional<ProblemException> of(Throwable failure) {
        return find(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * Through causes and suppressed exceptions: a commit the database dropped surfaces as a transaction
     * manager's RollbackException whose connection error is only suppressed, not its cause.
     */
    private static Optional<ProblemException> find(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t) || seen.size() > 64) {
            return Optional.empty();
        }
        if (t instanceof DependencyFailure dependency && dependency.problemType() != null) {
            return Optional.of(unavailable(dependency.problemType(), "The blob store that keeps datasets and "
                    + "models cannot be reached right now; nothing was changed. Try again shortly."));
        }
        if (t instanceof OIDCException && unreachable(t)) {
            return Optional.of(unavailable("identity-provider-unavailable", "The sign-in service cannot be "
                    + "reached right now, so access tokens and portal sessions cannot be checked; nothing was "
                    + "changed. Try again shortly (API keys do not depend on it)."));
        }
        if (t instanceof SQLTransientConnectionException || t instanceof SQLException sql && lostConnection(sql)) {
            return Optional.of(unavailable("database-unavailable", "The database cannot be reached right now; "
                    + "nothing was changed. Try again shortly."));
        }
        Optional<ProblemException> found = find(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) {
            if (found.isPresent()) {
                break;
            }
            found = find(suppressed, seen);
        }
        return found;
    }

    /**
     * Whether an OpenID Connect failure is the provider being out of reach (its metadata or keys could not be
     * fetched), rather than a configuration error, which stays a 500.
     */
    private static boolean unreachable(Throwable oidc) {
        int depth = 0;
        for (Throwable t = oidc; t != null && depth < 64; t = t.getCause(), depth++) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof TimeoutException
                    || String.valueOf(t.getMessage()).contains("OIDC Server is not available")) {
                return true;
            }
        }
        return false;
    }

    private static boolean lostConnection(SQLException e) {
        String state = e.getSQLState();
        String message = String.valueOf(e.getMessage());
        return state != null && (state.startsWith("08") || state.startsWith("57P"))
                || message.contains("acquisition timeout") || message.contains("This connection has been closed");
    }

    private static ProblemException unavailable(String type, String detail) {
        return new ProblemException(503, type, "Service unavailable", detail)
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
}
