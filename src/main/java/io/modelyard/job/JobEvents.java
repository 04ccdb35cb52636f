package io.modelyard.job;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gives every job type the same events endpoint. A feature resource adds one sub-resource locator:
 * <pre>
 * &#64;Path("/{id}/events")
 * public JobEventsResource events(&#64;PathParam("id") String id) {
 *     return events.of(id, training::requireTrainingJob);
 * }
 * </pre>
 */
@ApplicationScoped
public class JobEvents {

    private final JobService jobs;
    private final JobEventFollower follower;

    JobEvents(JobService jobs, JobEventFollower follower) {
        this.jobs = jobs;
        this.follower = follower;
    }

    /** The events of {@code jobId}, served once {@code typeCheck} has found it a job of the caller's type. */
    public JobEventsResource of(String jobId, JobEventsResource.TypeCheck typeCheck) {
        return new JobEventsResource(jobs, follower, jobId, typeCheck);
    }
}
