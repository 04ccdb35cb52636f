package io.modelyard.portal.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelyard.billing.Meter;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class UsageReportTest {

    @Test
    void quantitiesAreWrittenForPeople() {
        assertEquals("10,000", UsageReport.written(Meter.PREDICTIONS, new BigDecimal("10000")));
        assertEquals("1.895", UsageReport.written(Meter.TRAINING_CPU_SECONDS, new BigDecimal("1.8954")));
        assertEquals("0", UsageReport.written(Meter.API_REQUESTS, BigDecimal.ZERO));
        // the free plan's storage: 1 GiB for a 730-hour month, in byte-hours
        assertEquals("730", UsageReport.written(Meter.STORAGE_BYTE_HOURS, new BigDecimal("783831531520")));
        assertEquals("1.5", UsageReport.written(Meter.STORAGE_BYTE_HOURS, new BigDecimal(3L << 29)));
    }

    @Test
    void oneOfAUnitIsSingular() {
        assertEquals("request", UsageReport.units(Meter.API_REQUESTS, BigDecimal.ONE));
        assertEquals("requests", UsageReport.units(Meter.API_REQUESTS, new BigDecimal("2")));
        assertEquals("seconds", UsageReport.units(Meter.TRAINING_GPU_SECONDS, BigDecimal.ZERO));
        assertEquals("GB-hour", UsageReport.units(Meter.STORAGE_BYTE_HOURS, BigDecimal.valueOf(1L << 30)));
    }
}
