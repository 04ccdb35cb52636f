package io.modelyard.ml.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureStatsTest {

    /** The fast parser reads exactly what Double.parseDouble reads: the same bits, the same refusals. */
    @Test
    void cellsParseToTheSameValuesAsTheJdk() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            double d = switch (i % 4) {
                case 0 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                case 1 -> Double.longBitsToDouble(random.nextLong());
                case 2 -> random.nextInt(1_000_000) / 1000.0;
                default -> random.nextDouble();
            };
            String cell = i % 3 == 0 ? Double.toString(d) : String.format(java.util.Locale.ROOT, "%.9g", d);
            Double expected = jdk(cell);
            Double actual = FeatureStats.parseNumber(cell);
            assertEquals(expected == null ? null : Double.doubleToLongBits(expected),
                    actual == null ? null : Double.doubleToLongBits(actual), cell);
        }
        for (String cell : List.of(" 2 ", "+3", ".5", "5.", "1e5", "0x1p3", "2d", "-0", "4.9e-324", "1e-400")) {
            assertEquals(Double.doubleToLongBits(jdk(cell)), Double.doubleToLongBits(FeatureStats.parseNumber(cell)),
                    cell);
        }
        for (String cell : List.of("NaN", "Infinity", "-Infinity", "1e400", "1_000", "1,5", "abc", "--1", "1e", "",
                "  ")) {
            assertNull(FeatureStats.parseNumber(cell), cell);
        }
    }

    private static Double jdk(String cell) {
        try {
            double value = Double.parseDouble(cell.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
