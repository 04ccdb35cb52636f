package io.modelyard.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The service refused a request (a problem+json answer), or could not be reached. Carries the exit code a
 * script can branch on; see {@link ExitCodes}.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final JsonNode problem;

    ApiException(int status, JsonNode problem, String message) {
        super(message);
        this.status = status;
        this.problem = problem;
    }

    static ApiException unreachable(String url, Exception cause) {
        ApiException e = new ApiException(0, null, "Cannot reach Modelyard at " + url + " (" + cause.getMessage()
                + "). Is it running? Set MODELYARD_URL or --url.");
        e.initCause(cause);
        return e;
    }

    /** The answer's problem+json body, or null when there was none. */
    JsonNode problem() {
        return problem;
    }

    int status() {
        return status;
    }

    int exitCode() {
        return ExitCodes.forStatus(status);
    }
}
