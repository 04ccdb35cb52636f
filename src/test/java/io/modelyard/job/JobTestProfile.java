package io.modelyard.job;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Four worker threads and short timings, so that queue behaviour shows within seconds — and training holds of
 * about a second with no margin (estimates scaled down), so that a job passing its hold shows within seconds too.
 */
public class JobTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "modelyard.worker.threads", "4",
                "modelyard.worker.heartbeat-interval", "500ms",
                "modelyard.worker.poll-interval", "500ms",
                "modelyard.worker.shutdown-grace", "5s",
                "modelyard.jobs.backoff-base", "300ms",
                "modelyard.jobs.backoff-max", "2s",
                "modelyard.jobs.reaper-interval", "1s",
                "modelyard.jobs.max-streams-per-tenant", "3",
                "modelyard.training.cost-scale", "0.001",
                "modelyard.training.hold-margin", "0");
    }
}
