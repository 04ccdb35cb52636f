package io.modelyard.common;

/** What this process does; one jar, chosen by {@code modelyard.role}. */
public enum DeploymentRole {
    /** API and worker in one process: laptops and tests. */
    ALL,
    /** The public API only; never loads PyTorch. */
    API,
    /** Claims and runs jobs, serves internal predictions; no public API. */
    WORKER,
    /** Runs the database migrations as the schema owner and exits. */
    MIGRATE;

    public boolean servesPublicApi() {
        return this == ALL || this == API;
    }

    public boolean runsWorkloads() {
        return this == ALL || this == WORKER;
    }
}
