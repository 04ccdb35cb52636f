package io.modelyard.job;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/** What the test handlers did, for tests to check: every run, checkpoints, partial artifacts, gates. */
@ApplicationScoped
public class TestJobLog {

    /** One run of a handler: when, where, and how it saw the job. */
    public record Run(String jobId, String tenantId, String type, String thread, int attempt, boolean resumed,
            long startNanos, long endNanos, StopReason stopSeen) {
    }

    final ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
    /** Job id → the step a checkpoint was saved at (a stand-in for a checkpoint in the blob store). */
    final Map<String, Integer> checkpoints = new ConcurrentHashMap<>();
    /** Job ids with partial artifacts lying around. */
    final Set<String> artifacts = ConcurrentHashMap.newKeySet();
    /** Job id → a gate a handler waits at until the test opens it. */
    final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    void record(Run run) {
        runs.add(run);
    }

    List<Run> of(String jobId) {
        return runs.stream().filter(r -> r.jobId().equals(jobId)).toList();
    }

    List<Run> ofTenant(String tenantId) {
        return runs.stream().filter(r -> r.tenantId().equals(tenantId)).toList();
    }

    CountDownLatch gate(String jobId) {
        return gates.computeIfAbsent(jobId, id -> new CountDownLatch(1));
    }
}
