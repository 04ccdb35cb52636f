package io.modelyard.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Job types that exist only in tests, each exercising one part of the handler contract. */
final class TestJobHandlers {

    private TestJobHandlers() {
    }

    /** {@code test_sleep}: sleeps {@code sleep_ms} and records the run. */
    @ApplicationScoped
    static class Sleep implements JobHandler {

        @Inject
        TestJobLog log;

        @Override
        public String type() {
            return "test_sleep";
        }

        @Override
        public JobResult run(JobExecution execution) throws Exception {
            long start = System.nanoTime();
            long sleep = ((Number) execution.payload().getOrDefault("sleep_ms", 0)).longValue();
            Thread.sleep(sleep);
            log.record(new TestJobLog.Run(execution.jobId(), execution.tenantId(), type(),
                    Thread.currentThread().getName(), execution.attempt(), execution.resumed(), start,
                    System.nanoTime(), execution.stopRequested()));
            return JobResult.of(Map.of("slept_ms", sleep));
        }
    }

    /** {@code test_flaky}: fails as its payload says (retryably for the first attempts, permanently, or crashing). */
    @ApplicationScoped
    static class Flaky implements JobHandler {

        @Inject
        TestJobLog log;

        @Override
        public String type() {
            return "test_flaky";
        }

        @Override
        public JobResult run(JobExecution execution) {
            long start = System.nanoTime();
            log.record(new TestJobLog.Run(execution.jobId(), execution.tenantId(), type(),
                    Thread.currentThread().getName(), execution.attempt(), execution.resumed(), start, start,
                    StopReason.NONE));
            Map<String, Object> payload = execution.payload();
            if (Boolean.TRUE.equals(payload.get("crash"))) {
                throw new IllegalStateException("connection to 10.1.2.3:5432 refused (user=modelyard password=hunter2)");
            }
            if (Boolean.TRUE.equals(payload.get("permanent"))) {
                throw new JobFailedException("invalid_dataset", "The dataset has no label column.");
            }
            int failTimes = ((Number) payload.getOrDefault("fail_times", 0)).intValue();
            if (execution.attempt() <= failTimes) {
                throw JobFailedException.retryable("store_unavailable",
                        "The blob store did not answer on attempt " + execution.attempt() + ".");
            }
            return JobResult.of(Map.of("attempt", execution.attempt()));
        }
    }

    /**
     * {@code test_steps}: {@code steps} steps of {@code step_ms}, reporting progress and metrics; checkpoints on
     * shutdown and resumes from it; deletes its partial artifact on cancel.
     */
    @ApplicationScoped
    static class Steps implements JobHandler {

        @Inject
        TestJobLog log;

        @Override
        public String type() {
            return "test_steps";
        }

        @Override
        public JobResult run(JobExecution execution) throws Exception {
            long start = System.nanoTime();
            int steps = ((Number) execution.payload().getOrDefault("steps", 5)).intValue();
            long stepMs = ((Number) execution.payload().getOrDefault("step_ms", 50)).longValue();
            int from = execution.resumed() ? log.checkpoints.getOrDefault(execution.jobId(), 0) : 0;
            if (execution.resumed()) {
                execution.events().info("Resuming from step " + from);
            }
            log.artifacts.add(execution.jobId());
            int step = from;
            try {
                while (step < steps) {
                    StopReason stop = execution.awaitStop(Duration.ofMillis(stepMs));
                    if (stop != StopReason.NONE) {
                        switch (stop) {
                            case SHUTDOWN -> {
                                log.checkpoints.put(execution.jobId(), step);
                                execution.events().checkpoint(Map.of("step", step));
                            }
                            case CANCEL -> log.artifacts.remove(execution.jobId());
                            default -> {
                            }
                        }
                        execution.throwIfStopRequested();
                    }
                    step++;
                    execution.events().metrics(Map.of("step", step, "loss", 1.0 / step));
                    execution.events().progress(100.0 * step / steps);
                }
                return JobResult.of(Map.of("steps_done", steps, "started_from", from));
            } finally {
                log.record(new TestJobLog.Run(execution.jobId(), execution.tenantId(), type(),
                        Thread.currentThread().getName(), execution.attempt(), execution.resumed(), start,
                        System.nanoTime(), execution.stopRequested()));
            }
        }
    }

    /**
     * {@code test_zombie}: its first run waits at a gate the test opens, ignoring every stop request (a hung
     * worker), then claims success; a resumed run succeeds at once.
     */
    @ApplicationScoped
    static class Zombie implements JobHandler {

        @Inject
        TestJobLog log;

        @Override
        public String type() {
            return "test_zombie";
        }

        @Override
        public JobResult run(JobExecution execution) throws Exception {
            long start = System.nanoTime();
            if (!execution.resumed()) {
                log.gate(execution.jobId()).await(60, TimeUnit.SECONDS);
                // A hung run learns it lost the job asynchronously (a heartbeat, or this process claiming the job
                // again), which may come after the test opens the gate: wait for it, as a run polling its stop
                // signal would.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (execution.stopRequested() == StopReason.NONE && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            log.record(new TestJobLog.Run(execution.jobId(), execution.tenantId(), type(),
                    Thread.currentThread().getName(), execution.attempt(), execution.resumed(), start,
                    System.nanoTime(), execution.stopRequested()));
            execution.events().info(execution.resumed() ? "resumed run" : "zombie run");
            return JobResult.of(Map.of("run", execution.resumed() ? "resumed" : "zombie"));
        }
    }
}
