package io.modelyard.billing.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.billing.Meter;
import io.modelyard.billing.Period;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What one process remembers of a tenant's hard quota between takes. */
class LeaseSlotTest {

    private static final long VALID = TimeUnit.SECONDS.toNanos(20);
    private static final long FREE_FOR = TimeUnit.SECONDS.toNanos(30);
    private static final long REFUSED_FOR = TimeUnit.SECONDS.toNanos(1);

    private final LeaseSlot slot = new LeaseSlot("ten_x", Meter.API_REQUESTS, Period.of(Instant.now()));

    @Test
    void aRequestThatReadTheClockBeforeAHardGrantLandedIsNotAdmittedAsFree() {
        long requestArrived = System.nanoTime();
        take(requestArrived, new LeaseStore.Grant("qls_1", BigDecimal.TEN, true, BigDecimal.valueOf(100),
                BigDecimal.TEN));
        // The request's clock reading is older than the grant's: it must still count against the lease.
        Object[] found = new Object[1];
        assertEquals(LeaseSlot.Outcome.ADMITTED, slot.tryAdmit(BigDecimal.ONE, requestArrived, VALID, found));
        assertEquals("qls_1", found[0]);
    }

    @Test
    void noHardQuotaIsRememberedUntilThePlanChanges() {
        long now = System.nanoTime();
        take(now, new LeaseStore.Grant(null, null, false, null, null));
        assertEquals(LeaseSlot.Outcome.FREE, slot.tryAdmit(BigDecimal.ONE, now + 1, VALID, new Object[1]));
        slot.forgetRefusal();
        assertEquals(LeaseSlot.Outcome.NEEDS_LEASE, slot.tryAdmit(BigDecimal.ONE, now + 2, VALID, new Object[1]));
    }

    @Test
    void aTakeThatBeganBeforeAPlanChangeDoesNotRememberNoHardQuota() {
        long now = System.nanoTime();
        Object[] plan = new Object[3];
        slot.takeInFlight(BigDecimal.ONE, now, VALID, 1.0, plan);
        slot.forgetRefusal();
        slot.taken(null, "qls_2", new LeaseStore.Grant(null, null, false, null, null), BigDecimal.ONE, now + 1,
                FREE_FOR, REFUSED_FOR);
        assertEquals(LeaseSlot.Outcome.NEEDS_LEASE, slot.tryAdmit(BigDecimal.ONE, now + 2, VALID, new Object[1]));
    }

    private void take(long startedAt, LeaseStore.Grant grant) {
        Object[] plan = new Object[3];
        slot.takeInFlight(BigDecimal.ONE, startedAt, VALID, 1.0, plan);
        slot.taken(null, "qls_1", grant, BigDecimal.ONE, startedAt + TimeUnit.MILLISECONDS.toNanos(5), FREE_FOR,
                REFUSED_FOR);
    }
}
