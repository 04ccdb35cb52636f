package io.modelyard.job;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code noop}: finishes at once. A canary that measures the queue itself (enqueue to start, the dispatch
 * benchmark) and checks that workers are alive, without using compute.
 */
@ApplicationScoped
class NoopJobHandler implements JobHandler {

    static final String TYPE = "noop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JobResult run(JobExecution execution) {
        return JobResult.empty();
    }
}
