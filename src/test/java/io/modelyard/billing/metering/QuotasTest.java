package io.modelyard.billing.metering;

import io.modelyard.billing.ledger.Ledger;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.modelyard.billing.Meter;
import io.modelyard.billing.Usage;
import io.modelyard.billing.ledger.UsageAggregator;
import io.modelyard.common.ProblemException;
import io.modelyard.tenant.Actor;
import io.modelyard.tenant.TenantScope;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The entry points of jobs and datasets: admit in their own transaction, hold for later, price a dry run. */
@QuarkusTest
class QuotasTest {

    @Inject
    Quotas quotas;

    @Inject
    TenantScope tenantScope;

    @Inject
    ReservationSweeper sweeper;

    @Inject
    UsageAggregator aggregator;

    @Inject
    @DataSource("migration")
    AgroalDataSource schemaOwner;

    @Test
    void aJobReservesItsEstimateSettlesWhatItUsedAndIsRefusedUpFrontBeyondTheQuota() {
        TestTenant tenant = TestTenant.signUp("Trainer");
        TestPlans.assign(tenant, TestPlans.create(Map.of("training_cpu_seconds",
                TestPlans.terms(100, "hard", 150L, 0.5)), 1000, 1000, 1000, 1000));
        Ledger ledger = new Ledger(schemaOwner);

        UsageEstimate estimate = inTenant(tenant, () -> quotas.estimate(Meter.TRAINING_CPU_SECONDS,
                BigDecimal.valueOf(120)));
        assertTrue(estimate.withinQuota());
        assertEquals(0, BigDecimal.valueOf(100).compareTo(estimate.includedRemaining()));
        assertEquals(0, BigDecimal.valueOf(20).compareTo(estimate.billable()));
        assertEquals(10, estimate.amount(), "20 s beyond the included 100, at 0.5 minor units");
        assertEquals("usd", estimate.currency());

        Reservation held = inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_CPU_SECONDS, 120, "job:job_a"));
        Reservation again = inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_CPU_SECONDS, 120, "job:job_a"));
        assertEquals(held.id(), again.id(), "idempotent per reference");
        assertEquals(0, BigDecimal.valueOf(120).compareTo(ledger.reserved(tenant.id(), "training_cpu_seconds")));

        assertFalse(inTenant(tenant, () -> quotas.estimate(Meter.TRAINING_CPU_SECONDS, BigDecimal.valueOf(40)))
                .withinQuota());
        ProblemException refused = assertThrows(ProblemException.class,
                () -> inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_CPU_SECONDS, 40, "job:job_b")));
        assertEquals(402, refused.status());
        assertEquals("quota-exceeded", refused.type());
        assertEquals("training_cpu_seconds", refused.extensions().get("meter"));
        assertEquals(0, BigDecimal.valueOf(150).compareTo((BigDecimal) refused.extensions().get("limit")));

        inTenant(tenant, () -> {
            quotas.settle("job:job_a", Usage.of(Meter.TRAINING_CPU_SECONDS, 90, "job:job_a:compute")
                    .withJob("job_a"));
            return null;
        });
        aggregator.catchUp();
        assertEquals(0, ledger.reserved(tenant.id(), "training_cpu_seconds").signum());
        assertEquals(0, BigDecimal.valueOf(90).compareTo(ledger.used(tenant.id(), "training_cpu_seconds")));
        Reservation next = inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_CPU_SECONDS, 60, "job:job_b"));
        inTenant(tenant, () -> {
            quotas.release(next.reference());
            return null;
        });
        assertEquals(0, ledger.reserved(tenant.id(), "training_cpu_seconds").signum());

        QuotaStatus status = inTenant(tenant, () -> quotas.status(Meter.TRAINING_CPU_SECONDS));
        assertEquals(0, BigDecimal.valueOf(60).compareTo(status.remaining()));
        tenant.owner().api().get("/v1/usage/events?job_id=job_a").then().statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].meter", equalTo("training_cpu_seconds"))
                .body("data[0].quantity", equalTo(90));
        tenant.owner().api().get("/v1/audit-events?action=quota.exceeded").then().statusCode(200)
                .body("data[0].details.meter", equalTo("training_cpu_seconds"));
    }

    @Test
    void chargesInTheCallersTransactionHoldUnderConcurrency() throws Exception {
        TestTenant tenant = TestTenant.signUp("Ingester");
        TestPlans.assign(tenant, TestPlans.hardQuota("dataset_rows_ingested", 1000));
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refusedCount = new AtomicInteger();
        // 12 callers, each holding a connection in its transaction (and a refusal audits on a second one): the
        // pool of 32 is shared with the platform's own background work. HTTP races use 32 clients.
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    for (int j = 0; j < 14; j++) {
                        String key = "dataset:ds_" + n + ":" + j;
                        try {
                            inTenant(tenant, () -> quotas.charge(Usage.of(Meter.DATASET_ROWS_INGESTED, 10, key)));
                            admitted.incrementAndGet();
                        } catch (ProblemException e) {
                            assertEquals(402, e.status());
                            refusedCount.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, admitted.get(), "1000 rows in charges of 10");
        assertEquals(12 * 14 - 100, refusedCount.get());
        Ledger ledger = new Ledger(schemaOwner);
        assertEquals(100, ledger.events(tenant.id(), "dataset_rows_ingested"));
        aggregator.catchUp();
        assertEquals(0, BigDecimal.valueOf(1000).compareTo(ledger.used(tenant.id(), "dataset_rows_ingested")));
        // A replayed key is neither refused nor added, even at the limit.
        assertFalse(inTenant(tenant, () -> quotas.charge(Usage.of(Meter.DATASET_ROWS_INGESTED, 10,
                "dataset:ds_0:0"))));
    }

    @Test
    void expiredReservationsAreGivenBack() {
        TestTenant tenant = TestTenant.signUp("Forgetful");
        TestPlans.assign(tenant, TestPlans.hardQuota("training_gpu_seconds", 100));
        inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_GPU_SECONDS, BigDecimal.valueOf(80), "job:lost",
                Duration.ofMillis(1)));
        Ledger ledger = new Ledger(schemaOwner);
        assertEquals(0, BigDecimal.valueOf(80).compareTo(ledger.reserved(tenant.id(), "training_gpu_seconds")));
        sweeper.sweep();
        assertEquals(0, ledger.reserved(tenant.id(), "training_gpu_seconds").signum());
        assertEquals(0, ledger.reservations(tenant.id()));
        inTenant(tenant, () -> quotas.reserve(Meter.TRAINING_GPU_SECONDS, 100, "job:next"));
    }

    private <T> T inTenant(TestTenant tenant, Callable<T> work) {
        return tenantScope.call(tenant.id(), Actor.system("test"),
                () -> QuarkusTransaction.requiringNew().call(work));
    }
}
