package io.modelyard.cli;

/** Exit codes, stable for scripts (the README lists them). */
final class ExitCodes {

    static final int OK = 0;
    /** Anything else: the service could not be reached, an unexpected answer. */
    static final int ERROR = 1;
    /** The command line itself is wrong (picocli's own code). */
    static final int USAGE = 2;
    /** Not signed in, the credentials were refused (401), or the operation is not allowed (403). */
    static final int AUTH = 3;
    /** No such object in this tenant (404). */
    static final int NOT_FOUND = 4;
    /** The service refused the input: 400, 409, 413, 415, 422. */
    static final int INVALID = 5;
    /** A quota is exhausted (402) or a rate limit was hit (429). */
    static final int LIMITED = 6;
    /** The followed job ended failed or cancelled. */
    static final int JOB_FAILED = 7;
    /** The service failed or is unavailable (5xx). */
    static final int UNAVAILABLE = 8;

    private ExitCodes() {
    }

    static int forStatus(int status) {
        if (status == 401 || status == 403) {
            return AUTH;
        }
        if (status == 404 || status == 410) {
            return NOT_FOUND;
        }
        if (status == 402 || status == 429) {
            return LIMITED;
        }
        if (status >= 500) {
            return UNAVAILABLE;
        }
        if (status >= 400) {
            return INVALID;
        }
        return ERROR;
    }
}
