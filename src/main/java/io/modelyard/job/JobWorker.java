package io.modelyard.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.PlatformClock;
import io.modelyard.common.PlatformConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The worker runtime of this process ({@code modelyard.role} {@code worker} or {@code all}): threads that claim
 * jobs and run their handlers, a heartbeat that renews their leases, and the shutdown that hands running jobs
 * back. Idle threads sleep until a notification (a job queued) wakes them, polling only as a fallback.
 */
@ApplicationScoped
class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);

    private final JobWorkerConfig config;
    private final PlatformConfig platform;
    private final Instance<JobHandler> handlerBeans;
    private final JobQueue queue;
    private final JobRunner runner;
    private final JobLeases leases;
    private final ObjectMapper json;
    private final PlatformClock clock;
    private final String owner;

    private final Map<String, WorkerExecution> running = new ConcurrentHashMap<>();
    private final Object wakeLock = new Object();
    private long wakeups;
    private volatile boolean accepting;
    private volatile Map<String, JobHandler> handlers = Map.of();
    private ExecutorService threads;
    private ScheduledExecutorService timers;

    JobWorker(JobWorkerConfig config, PlatformConfig platform, @Any Instance<JobHandler> handlerBeans, JobQueue queue,
            JobRunner runner, JobLeases leases, ObjectMapper json, PlatformClock clock) {
        this.config = config;
        this.platform = platform;
        this.handlerBeans = handlerBeans;
        this.queue = queue;
        this.runner = runner;
        this.leases = leases;
        this.json = json;
        this.clock = clock;
        this.owner = config.id().orElseGet(JobWorker::defaultId);
    }

    void onStart(@Observes StartupEvent event) {
        if (platform.role().runsWorkloads() && config.threads() > 0) {
            start();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shutdown();
    }

    /** Starts claiming with {@code modelyard.worker.threads} threads. */
    synchronized void start() {
        if (threads != null) {
            return;
        }
        handlers = handlers();
        if (handlers.isEmpty()) {
            LOG.warn("No job handlers for the configured job types: this worker claims nothing");
            return;
        }
        accepting = true;
        timers = Executors.newSingleThreadScheduledExecutor(named("job-heartbeat", null));
        long beat = config.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        threads = Executors.newFixedThreadPool(config.threads(), named("job-worker-", new AtomicInteger(1)));
        for (int i = 0; i < config.threads(); i++) {
            threads.execute(this::claimLoop);
        }
        LOG.infof("Job worker %s started: %d thread(s) for %s", owner, config.threads(), handlers.keySet());
    }

    /**
     * Stops claiming and asks running handlers to checkpoint and stop; their jobs go back to the queue without
     * using an attempt. Handlers still running after the grace period have their jobs released anyway (what they
     * write afterwards is refused) and their threads interrupted. Returns within the grace period plus the time
     * the releases take.
     */
    synchronized void shutdown() {
        if (threads == null) {
            return;
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        accepting = false;
        signal();
        running.values().forEach(execution -> execution.requestStop(StopReason.SHUTDOWN));
        threads.shutdown();
        boolean stopped = awaitTermination(threads, deadline);
        if (!stopped) {
            for (WorkerExecution execution : List.copyOf(running.values())) {
                try {
                    JobLeases.Recorded recorded = leases.finish(execution.token(),
                            RunOutcome.stopped(StopReason.SHUTDOWN));
                    LOG.warnf("Job %s did not stop within %s; released it (%s)", execution.jobId(),
                            config.shutdownGrace(), recorded.ending());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Could not release job %s; its lease will expire", execution.jobId());
                }
            }
            threads.shutdownNow();
        }
        timers.shutdownNow();
        threads = null;
        timers = null;
        LOG.infof("Job worker %s stopped", owner);
    }

    /** A job of {@code type} was queued (null: anything may have changed). */
    void wake(String type) {
        if (accepting && (type == null || handlers.containsKey(type))) {
            signal();
        }
    }

    /** The tenant cancelled {@code jobId}; if it runs here, its handler is asked to stop. */
    void cancelRequested(String jobId) {
        WorkerExecution execution = running.get(jobId);
        if (execution != null) {
            execution.requestStop(StopReason.CANCEL);
        }
    }

    /** The tenant paused {@code jobId}; if it runs here, its handler is asked to checkpoint and stop. */
    void pauseRequested(String jobId) {
        WorkerExecution execution = running.get(jobId);
        if (execution != null) {
            execution.requestStop(StopReason.PAUSE);
        }
    }

    private void claimLoop() {
        while (accepting) {
            long seen = wakeups();
            Optional<ClaimedJob> claimed;
            try {
                claimed = queue.claim(owner, handlers.keySet(), config.leaseDuration());
            } catch (RuntimeException e) {
                LOG.warn("Could not claim a job; retrying shortly", e);
                awaitWake(-1, config.pollInterval());
                continue;
            }
            if (claimed.isPresent()) {
                runClaimed(claimed.get());
            } else {
                awaitWake(seen, config.pollInterval());
            }
        }
    }

    private void runClaimed(ClaimedJob job) {
        WorkerExecution execution = new WorkerExecution(job, leases, json, clock);
        WorkerExecution displaced = running.put(job.id(), execution);
        if (displaced != null) {
            // An earlier run of this job, hung in this process, lost its lease to this claim: it is no longer
            // heartbeated (the map holds one run per job), so tell it here, or it would never hear it.
            displaced.requestStop(StopReason.LEASE_LOST);
        }
        try {
            JobLeases.Recorded recorded;
            if (!accepting) {
                // Claimed while shutting down: hand it straight back.
                recorded = leases.finish(execution.token(), RunOutcome.stopped(StopReason.SHUTDOWN));
            } else {
                recorded = runner.run(handlers.get(job.type()), execution);
            }
            if (recorded.runAfter() != null) {
                wakeAt(recorded.runAfter());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not record the end of job %s; its lease will expire and the job be retried",
                    job.id());
        } finally {
            // only this run's entry: a hung earlier run ending must not drop its successor from the heartbeat
            running.remove(job.id(), execution);
        }
    }

    private void heartbeat() {
        List<WorkerExecution> executions = running.values().stream().filter(x -> !x.isEnding()).toList();
        if (executions.isEmpty()) {
            return;
        }
        Map<String, JobState> held;
        try {
            held = queue.heartbeat(owner, executions.stream().map(WorkerExecution::token).toList(),
                    config.leaseDuration());
        } catch (RuntimeException e) {
            LOG.warn("Could not renew job leases", e);
            // Without the database for a whole lease, another worker may own these jobs by now.
            executions.stream().filter(x -> x.sinceRenewed().compareTo(config.leaseDuration()) > 0)
                    .forEach(x -> x.requestStop(StopReason.LEASE_LOST));
            return;
        }
        for (WorkerExecution execution : executions) {
            JobState state = held.get(execution.jobId());
            if (state == null) {
                if (execution.stopRequested() != StopReason.LEASE_LOST && !execution.isEnding()) {
                    LOG.warnf("Job %s: this worker lost its lease; asking the handler to stop", execution.jobId());
                }
                execution.requestStop(StopReason.LEASE_LOST);
            } else {
                execution.leaseRenewed();
                if (state == JobState.CANCELLING) {
                    execution.requestStop(StopReason.CANCEL);
                } else if (state == JobState.PAUSING) {
                    execution.requestStop(StopReason.PAUSE);
                }
            }
        }
    }

    private Map<String, JobHandler> handlers() {
        Map<String, JobHandler> all = new HashMap<>();
        for (JobHandler handler : handlerBeans) {
            JobHandler previous = all.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("Two job handlers for type " + handler.type());
            }
        }
        Optional<Set<String>> wanted = config.types();
        if (wanted.isEmpty()) {
            return Map.copyOf(all);
        }
        Set<String> unknown = new TreeSet<>(wanted.get());
        unknown.removeAll(all.keySet());
        if (!unknown.isEmpty()) {
            LOG.warnf("modelyard.worker.types names job types without a handler here: %s", unknown);
        }
        Map<String, JobHandler> chosen = new HashMap<>(all);
        chosen.keySet().retainAll(wanted.get());
        return Map.copyOf(chosen);
    }

    private void wakeAt(Instant when) {
        ScheduledExecutorService scheduler = timers;
        if (scheduler != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), when).toMillis());
            scheduler.schedule(this::signal, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void signal() {
        synchronized (wakeLock) {
            wakeups++;
            wakeLock.notifyAll();
        }
    }

    private long wakeups() {
        synchronized (wakeLock) {
            return wakeups;
        }
    }

    /** Sleeps until woken after {@code seen} (-1: not at all), or for {@code timeout}, or until shutdown. */
    private void awaitWake(long seen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (wakeLock) {
            while (accepting && (seen == -1 || wakeups == seen)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    wakeLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean awaitTermination(ExecutorService executor, long deadlineNanos) {
        try {
            return executor.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Daemon threads, numbered when {@code counter} is given. */
    private static ThreadFactory named(String prefix, AtomicInteger counter) {
        return task -> {
            Thread thread = new Thread(task, counter == null ? prefix : prefix + counter.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String defaultId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "worker";
            }
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
