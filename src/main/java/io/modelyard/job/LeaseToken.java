package io.modelyard.job;

/**
 * What a worker holds while it runs a job: the job (and its tenant, which travels with it as data), the worker
 * ({@code lease_owner}) and which run of the job this is. A later claim of the same job, even by the same
 * worker, is another run, so a worker that lost its lease cannot write to the job again.
 */
record LeaseToken(String jobId, String tenantId, String owner, int run) {
}
