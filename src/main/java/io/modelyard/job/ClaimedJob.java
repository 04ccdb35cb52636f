package io.modelyard.job;

import java.util.Map;

/** A job a worker has just claimed, with its lease. */
record ClaimedJob(String id, String tenantId, String type, int attempt, int maxAttempts, int runs,
        Map<String, Object> payload, String owner) {

    LeaseToken token() {
        return new LeaseToken(id, tenantId, owner, runs);
    }

    /** An earlier run of the job started: this one should resume from its checkpoint. */
    boolean resumed() {
        return runs > 1;
    }
}
