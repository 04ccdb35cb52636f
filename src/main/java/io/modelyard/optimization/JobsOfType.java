package io.modelyard.optimization;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.common.Idempotency;
import io.modelyard.common.Page;
import io.modelyard.common.PageRequest;
import io.modelyard.common.ProblemException;
import io.modelyard.job.JobService;
import io.modelyard.job.JobState;
import io.modelyard.job.JobView;
import io.modelyard.training.TrainingRuns;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Queues, reads and cancels the jobs of one type that clients see as a view of the job and its payload (compression
 * and distillation jobs): a queued job holds its estimated compute against the quota, a cancel gives the hold back,
 * and another type's id answers 404. Call it inside a transaction.
 *
 * @param <P> the job's payload
 * @param <V> what clients see
 */
final class JobsOfType<P, V> {

    private final JobService jobs;
    private final TrainingRuns runs;
    private final ObjectMapper json;
    private final String type;
    private final String noun;
    private final Class<P> payloadType;
    private final BiFunction<JobView, P, V> view;

    JobsOfType(JobService jobs, TrainingRuns runs, ObjectMapper json, String type, String noun, Class<P> payloadType,
            BiFunction<JobView, P, V> view) {
        this.jobs = jobs;
        this.runs = runs;
        this.json = json;
        this.type = type;
        this.noun = noun;
        this.payloadType = payloadType;
        this.view = view;
    }

    /** Queues a job, holding {@code computeSeconds} of compute for it until it has run. */
    Idempotency.Outcome<V> enqueue(P payload, Map<String, String> metadata, int maxAttempts, String idempotencyKey,
            long computeSeconds) {
        Idempotency.Outcome<JobView> job = jobs.enqueue(type, payload, metadata, maxAttempts, idempotencyKey);
        if (!job.replayed()) {
            // A replay answers the job made before, whose hold was taken then (and may be settled by now).
            runs.hold(job.body().id(), computeSeconds);
        }
        return new Idempotency.Outcome<>(view(job.body()), job.replayed());
    }

    /** A dry run's answer: what would run ({@code described}), the compute it would use and its price. */
    Map<String, Object> estimate(Map<String, Object> described, long computeSeconds) {
        Map<String, Object> estimate = new LinkedHashMap<>(described);
        estimate.put("estimated_compute_seconds", computeSeconds);
        estimate.put("meter", runs.computeMeter().wireName());
        estimate.put("price", runs.price(computeSeconds));
        return estimate;
    }

    V get(String id) {
        return view(require(id));
    }

    Page<V> list(PageRequest page, JobState state, Map<String, String> metadata) {
        Page<JobView> jobPage = jobs.list(page, type, state, metadata);
        return new Page<>("list", jobPage.data().stream().map(this::view).toList(), jobPage.hasMore(),
                jobPage.nextCursor());
    }

    V cancel(String id) {
        require(id);
        JobView job = jobs.cancel(id);
        if (job.state() == JobState.CANCELLED || job.state() == JobState.CANCELLING) {
            runs.release(id);
        }
        return view(job);
    }

    /** The job, if {@code id} is one of the tenant's jobs of this type (404 otherwise). */
    JobView require(String id) {
        JobView job = jobs.get(id);
        if (!type.equals(job.type())) {
            throw ProblemException.notFound(noun, id);
        }
        return job;
    }

    V view(JobView job) {
        return view.apply(job, json.convertValue(job.payload(), payloadType));
    }
}
