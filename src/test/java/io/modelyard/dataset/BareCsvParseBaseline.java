package io.modelyard.dataset;

import io.modelyard.dataset.format.CsvReader;
import io.modelyard.dataset.format.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's baseline: stream a CSV file through the platform's CSV parser and do nothing else. Every
 * field is decoded to a String (what "parsing" gives any consumer), summed into a checksum so the JIT cannot
 * drop the work. Prints {@code mb_per_s=<x>} (MB = 10^6 bytes).
 *
 * <p>Usage: {@code BareCsvParseBaseline <path> [repeats]}; with repeats, the best run is printed.
 */
public final class BareCsvParseBaseline {

    private BareCsvParseBaseline() {
    }

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        double best = 0;
        for (int i = 0; i < repeats; i++) {
            best = Math.max(best, measure(path).mbPerSecond());
        }
        System.out.printf(java.util.Locale.ROOT, "mb_per_s=%.1f%n", best);
    }

    /** One timed pass over the file. */
    public static Result measure(Path path) throws IOException {
        long bytes = Files.size(path);
        long start = System.nanoTime();
        long rows = 0;
        long checksum = 0;
        ParseLimits limits = ParseLimits.DEFAULTS.withMaxRows(Long.MAX_VALUE);
        try (InputStream in = Files.newInputStream(path); CsvReader reader = new CsvReader(in, null, limits)) {
            int columns = reader.header().size();
            while (reader.next()) {
                for (int i = 0; i < columns; i++) {
                    checksum += reader.get(i).length();
                }
                rows++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(rows, bytes, seconds, checksum);
    }

    public record Result(long rows, long bytes, double seconds, long checksum) {
        public double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }
}
