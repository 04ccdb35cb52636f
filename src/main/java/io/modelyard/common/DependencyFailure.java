package io.modelyard.common;

/**
 * Marks a failure of something the platform depends on — the blob store, say — rather than of the request:
 * clients get 503 with Retry-After, not 500, since the same request will work once it is back.
 */
public interface DependencyFailure {

    /** The problem type, e.g. {@code storage-unavailable}. */
    String problemType();
}
