package io.modelyard.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The queue and the runs as Prometheus sees them ({@code /q/metrics}):
 * <ul>
 * <li>{@code modelyard_jobs_queue_depth{type,state}} and {@code modelyard_jobs_queue_oldest_age_seconds{type,state}}
 * for unfinished jobs (queued, running, cancelling), sampled from the database every
 * {@code modelyard.metrics.queue-sample-interval} by every process (take the max across pods);</li>
 * <li>{@code modelyard_jobs_run_seconds{type,outcome}}: a histogram of run durations on this worker, by how the run
 * ended (succeeded, failed, retrying, cancelled, released, lost).</li>
 * </ul>
 * Labels are job types and states: a small, fixed set.
 */
@ApplicationScoped
public class JobMetrics {

    private static final Logger LOG = Logger.getLogger(JobMetrics.class);
    private static final String DEPTH = "Unfinished jobs";
    private static final String AGE = "Age of the oldest unfinished job (queued: since created; running: since started)";

    private final MeterRegistry registry;
    private final DataSource dataSource;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> ageMillis = new ConcurrentHashMap<>();

    private final Instance<JobHandler> handlers;

    JobMetrics(MeterRegistry registry, DataSource dataSource, @Any Instance<JobHandler> handlers) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.handlers = handlers;
    }

    void runEnded(String type, JobLeases.Ending ending, long nanos) {
        Timer.builder("modelyard.jobs.run").description("Duration of job runs on this worker, by how they ended")
                .tags("type", type, "outcome", ending.name().toLowerCase(Locale.ROOT))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(24))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    @Scheduled(every = "${modelyard.metrics.queue-sample-interval:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sampleQueue() {
        if (depth.isEmpty()) {
            // Every known type reads 0 from the start, so dashboards show an empty queue, not a gap.
            for (JobHandler handler : handlers) {
                for (String state : new String[] {"queued", "running"}) {
                    gauge(depth, "modelyard.jobs.queue.depth", DEPTH, handler.type() + "|" + state);
                    gauge(ageMillis, "modelyard.jobs.queue.oldest.age", AGE, handler.type() + "|" + state);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select job_type, job_state, jobs, oldest_seconds"
                        + " from queue_stats()")) {
            while (rows.next()) {
                String key = rows.getString(1) + "|" + rows.getString(2);
                seen.add(key);
                gauge(depth, "modelyard.jobs.queue.depth", DEPTH, key).set(rows.getLong(3));
                gauge(ageMillis, "modelyard.jobs.queue.oldest.age", AGE, key).set(Math.round(rows.getDouble(4) * 1000));
            }
        } catch (SQLException e) {
            LOG.debugf("Queue metrics not sampled: %s", e.getMessage());
            return;
        }
        // A type and state with no job now reads 0, not its last value.
        depth.forEach((key, value) -> {
            if (!seen.contains(key)) {
                value.set(0);
            }
        });
        ageMillis.forEach((key, value) -> {
            if (!seen.contains(key)) {
                value.set(0);
            }
        });
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String description, String key) {
        return values.computeIfAbsent(key, k -> {
            String[] parts = k.split("\\|", 2);
            AtomicLong value = new AtomicLong();
            Tags tags = Tags.of("type", parts[0], "state", parts[1]);
            if (name.endsWith("age")) {
                Gauge.builder(name, value, v -> v.get() / 1000.0).description(description).baseUnit("seconds")
                        .tags(tags).register(registry);
            } else {
                Gauge.builder(name, value, AtomicLong::get).description(description).tags(tags).register(registry);
            }
            return value;
        });
    }
}
