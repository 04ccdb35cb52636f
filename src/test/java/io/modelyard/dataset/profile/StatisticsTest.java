package io.modelyard.dataset.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void numericSummaryOfOneToTen() {
        NumericAccumulator acc = new NumericAccumulator();
        for (int i = 10; i >= 1; i--) {
            acc.add(i);
        }
        NumericSummary s = acc.summary();
        assertEquals(10, s.count());
        assertEquals(1, s.min());
        assertEquals(10, s.max());
        assertEquals(5.5, s.mean(), 1e-12);
        // Sample standard deviation: sqrt(82.5 / 9).
        assertEquals(Math.sqrt(82.5 / 9), s.std(), 1e-12);
        // numpy.percentile([1..10], [5, 25, 50, 75, 95]) = 1.45, 3.25, 5.5, 7.75, 9.55
        assertEquals(new Quantiles(1.45, 3.25, 5.5, 7.75, 9.55).toString(), round(s.quantiles()).toString());
        assertTrue(s.quantilesExact());
    }

    @Test
    void pastTheLimitQuantilesComeFromAUniformSample() {
        NumericAccumulator acc = new NumericAccumulator(1_000, 1);
        for (int i = 0; i < 100_000; i++) {
            acc.add(i);
        }
        assertFalse(acc.exact());
        assertEquals(49_999.5, acc.mean(), 1e-6, "mean and extremes stay exact");
        assertEquals(99_999, acc.max());
        // A 1,000-value sample puts the median within a few percent of the truth.
        assertEquals(50_000, acc.quantile(0.5), 5_000);
        assertEquals(95_000, acc.quantile(0.95), 3_000);
    }

    @Test
    void lengthHistogramIsExact() {
        LengthHistogram h = new LengthHistogram();
        for (int length : new int[] {3, 1, 4, 1, 5, 9, 2, 6}) {
            h.add(length);
        }
        LengthSummary s = h.summary();
        assertEquals(1, s.min());
        assertEquals(9, s.max());
        assertEquals(31 / 8.0, s.mean(), 1e-12);
        // sorted 1,1,2,3,4,5,6,9: median between 3 and 4; p25 at rank 1.75 = 1 + 0.75*(2-1)
        assertEquals(3.5, s.quantiles().p50(), 1e-12);
        assertEquals(1.75, s.quantiles().p25(), 1e-12);
        assertEquals(7.95, s.quantiles().p95(), 1e-12);
    }

    @Test
    void categoryCounterCapsWhatItTracks() {
        CategoryCounter counter = new CategoryCounter(3);
        for (String v : List.of("a", "b", "a", "c", "d", "a", "b")) {
            counter.add(v);
        }
        assertTrue(counter.capped());
        assertEquals(3, counter.distinct());
        assertEquals("a", counter.mode());
        assertEquals(List.of(new ValueCount("a", 3), new ValueCount("b", 2)), counter.top(2));
    }

    @Test
    void textScanCountsCodePointsAndTokens() {
        long scan = ProfileBuilder.scan("  héllo 😀  world ");
        assertEquals(17, scan >>> 32, "the emoji is one character");
        assertEquals(3, (int) scan);
    }

    private static Quantiles round(Quantiles q) {
        return new Quantiles(r(q.p05()), r(q.p25()), r(q.p50()), r(q.p75()), r(q.p95()));
    }

    private static double r(double v) {
        return Math.round(v * 1e9) / 1e9;
    }
}
