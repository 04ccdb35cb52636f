package io.modelyard.serving.batch;

import io.modelyard.billing.Meter;
import io.modelyard.billing.metering.Quotas;
import io.modelyard.billing.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * A batch prediction's {@code predictions} against the tenant's quota: every row is held when the job is
 * created (402 up front, nothing enqueued, when the hard quota cannot cover them), given back when the job is
 * cancelled or fails, and recorded once when it succeeds.
 */
@ApplicationScoped
class BatchPredictionQuota {

    /** Long enough for any queued job to start and finish; a job that dies without settling lapses after it. */
    private static final Duration RESERVATION_TTL = Duration.ofHours(24);

    private final Quotas quotas;

    BatchPredictionQuota(Quotas quotas) {
        this.quotas = quotas;
    }

    /** Holds {@code rows} predictions for the job, in the creating transaction (refused with 402). */
    @Transactional(Transactional.TxType.MANDATORY)
    void reserve(String jobId, long rows) {
        if (rows > 0) {
            quotas.reserve(Meter.PREDICTIONS, BigDecimal.valueOf(rows), reference(jobId), RESERVATION_TTL);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void release(String jobId) {
        quotas.release(reference(jobId));
    }

    /**
     * Records the rows the job predicted, replacing its hold. The key is the job's, so a run repeated after a
     * lost worker records nothing more.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void settle(String jobId, String modelId, String apiKeyId, long rows) {
        if (rows == 0) {
            release(jobId);
            return;
        }
        quotas.settle(reference(jobId), new Usage(Meter.PREDICTIONS, BigDecimal.valueOf(rows),
                "job:" + jobId + ":predictions", apiKeyId, modelId, jobId, Map.of("protocol", "batch")));
    }

    private static String reference(String jobId) {
        return "job:" + jobId;
    }
}
