package io.modelyard.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production jar is built from {@code src/main} alone; the benchmarks' unauthenticated doors live in
 * {@code src/bench/java}, compiled only with the Maven profile {@code bench}. This keeps it so: no resource under
 * {@code src/main/java} serves {@code /bench}.
 */
class ProductionSourcesTest {

    private static final Pattern BENCH_PATH = Pattern.compile("@Path\\(\\s*\"/?bench");

    @Test
    void noBenchmarkEndpointIsCompiledIntoTheProductionJar() throws IOException {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(f -> f.toString().endsWith(".java")).filter(ProductionSourcesTest::servesBench)
                    .toList();
        }
        assertEquals(List.of(), offenders, "benchmark endpoints belong in src/bench/java");
        try (Stream<Path> files = Files.walk(Path.of("src/bench/java"))) {
            assertTrue(files.filter(f -> f.toString().endsWith(".java")).anyMatch(ProductionSourcesTest::servesBench), "the bench doors moved without this test");
        }
    }

    private static boolean servesBench(Path file) {
        try {
            return BENCH_PATH.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
