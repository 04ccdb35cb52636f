package io.modelyard.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.tenant.TenantScope;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/** Runs one claimed job's handler inside the job's tenant and records how the run ended. */
@ApplicationScoped
class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final TenantScope tenantScope;
    private final JobLeases leases;
    private final ObjectMapper json;
    private final JobMetrics metrics;

    JobRunner(TenantScope tenantScope, JobLeases leases, ObjectMapper json, JobMetrics metrics) {
        this.metrics = metrics;
        this.tenantScope = tenantScope;
        this.leases = leases;
        this.json = json;
    }

    JobLeases.Recorded run(JobHandler handler, WorkerExecution execution) {
        long started = System.nanoTime();
        RunOutcome outcome = tenantScope.call(execution.tenantId(), JobLeases.actorFor(execution.jobId()),
                () -> invoke(handler, execution));
        execution.markEnding();
        // An interrupted handler (forced shutdown) must not leave the flag set: recording needs the database.
        Thread.interrupted();
        JobLeases.Recorded recorded = leases.finish(execution.token(), outcome);
        metrics.runEnded(execution.type(), recorded.ending(), System.nanoTime() - started);
        if (recorded.ending() == JobLeases.Ending.LOST) {
            LOG.warnf("Job %s (%s): this worker lost its lease; the end of run %d was not recorded",
                    execution.jobId(), execution.type(), execution.token().run());
        } else {
            LOG.debugf("Job %s (%s) run %d ended: %s", execution.jobId(), execution.type(),
                    execution.token().run(), recorded.ending());
        }
        return recorded;
    }

    private RunOutcome invoke(JobHandler handler, WorkerExecution execution) {
        MDC.put("tenant_id", execution.tenantId());
        MDC.put("job_id", execution.jobId());
        try {
            JobResult result = handler.run(execution);
            JobResult produced = result == null ? JobResult.empty() : result;
            return RunOutcome.succeeded(toObject(produced), produced.onRecorded());
        } catch (JobStoppedException e) {
            StopReason reason = execution.stopRequested();
            return RunOutcome.stopped(reason == StopReason.NONE ? StopReason.SHUTDOWN : reason, e.onRecorded());
        } catch (JobFailedException e) {
            LOG.infof("Job %s (%s) attempt %d failed: %s (%s)", execution.jobId(), execution.type(),
                    execution.attempt(), e.code(), e.getMessage());
            return RunOutcome.failed(e.code(), e.getMessage(), e.isRetryable(), e.onRecorded());
        } catch (Throwable e) {
            StopReason reason = execution.stopRequested();
            if (reason != StopReason.NONE) {
                // Asked to stop, the handler ended with an error of its own (often from being interrupted).
                LOG.infof(e, "Job %s (%s) ended with an error after a stop was requested (%s)", execution.jobId(),
                        execution.type(), reason);
                return RunOutcome.stopped(reason);
            }
            LOG.errorf(e, "Job %s (%s) attempt %d failed unexpectedly", execution.jobId(), execution.type(),
                    execution.attempt());
            // The tenant gets a stable code and a generic message; the exception stays in our logs.
            return RunOutcome.failed("internal_error", "Attempt " + execution.attempt() + " of "
                    + execution.maxAttempts() + " ended with an unexpected error on our side.", true);
        } finally {
            MDC.remove("job_id");
            MDC.remove("tenant_id");
        }
    }

    private Map<String, Object> toObject(JobResult result) {
        try {
            return json.convertValue(result.value(), OBJECT);
        } catch (IllegalArgumentException e) {
            throw new JobFailedException("invalid_result", "The job produced a result that is not a JSON object.",
                    e);
        }
    }
}
