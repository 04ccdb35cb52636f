package io.modelyard.docs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/tutorial.md, followed to the letter: every {@code bash} block runs, in order, in one shell, against the
 * service under test with a fresh tenant's API key — except the blocks marked {@code tutorial-test: skip} (starting
 * the platform and exporting its URL and key, which this test provides).
 */
@QuarkusTest
class TutorialTest {

    private static final Path TUTORIAL = Path.of("docs/tutorial.md");
    private static final Pattern BLOCK = Pattern.compile("(?s)(<!-- tutorial-test: skip[^>]*-->\\s*)?```bash\\n(.*?)```");

    @Test
    void everyCommandOfTheTutorialWorks() throws IOException, InterruptedException {
        List<String> blocks = new ArrayList<>();
        int skipped = 0;
        Matcher m = BLOCK.matcher(Files.readString(TUTORIAL));
        while (m.find()) {
            if (m.group(1) != null) {
                skipped++;
            } else {
                blocks.add(m.group(2));
            }
        }
        assertEquals(2, skipped, "only starting the platform and exporting its URL and key are left to the reader");

        TestTenant tenant = TestTenant.signUp("Tutorial Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String key = tenant.apiKey("read", "datasets:write", "jobs:write", "predict", "admin");
        Path work = Files.createTempDirectory("tutorial-");
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '=== block ").append(i + 1).append("'\n").append(blocks.get(i)).append('\n');
        }
        Files.writeString(work.resolve("tutorial.sh"), script);
        ProcessBuilder bash = new ProcessBuilder("bash", work.resolve("tutorial.sh").toString()).redirectErrorStream(true);
        bash.environment().put("MODELYARD_URL", RestAssured.baseURI + ":" + RestAssured.port);
        bash.environment().put("MODELYARD_API_KEY", key);
        bash.environment().put("MODELYARD_CONFIG_DIR", work.resolve("config").toString());
        bash.environment().put("TMPDIR", work.toString());
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(5, TimeUnit.MINUTES);
        assertEquals(0, process.exitValue(), output);
        assertThat(output, containsString("=== block " + blocks.size()));

        assertThat(output, containsString("rows accepted of 3000 read"));
        assertThat(output, matchesPattern("(?s).*epoch 4 +train_loss.*"));
        assertThat(output, matchesPattern("(?s).*succeeded: model mdl_\\w+.*"));
        assertThat(output, containsString("actual \\ predicted  negative  neutral  positive"));
        assertThat(output, matchesPattern("(?s).*production +mdl_\\w+.*"));
        assertThat(output, matchesPattern("(?s).*0 +The kettle broke.*negative +0\\.\\d+.*"));
        assertThat(output, matchesPattern("(?s).*1 +Arrived damaged.*negative +0\\.\\d+.*"));
        assertThat(output, containsString("\"type\":\"metric\""));
        assertThat(output, matchesPattern("(?s).*\"label\": \"negative\".*"));
        assertThat(output, matchesPattern("(?s).*DAY +api_requests.*predictions.*training_cpu_seconds.*"));

        assertThat(output, containsString("Wrote 600 images of [circle, square, triangle]"));
        assertThat(output, containsString("(shapes, image_classification)"));
        assertThat(output, containsString("actual \\ predicted  circle  square  triangle"));
        // The image model the tutorial trains is a good one: the last evaluation printed is its.
        java.util.regex.Matcher accuracy = Pattern.compile("Test split: \\d+ rows; accuracy ([0-9.]+)").matcher(output);
        double last = Double.NaN;
        while (accuracy.find()) {
            last = Double.parseDouble(accuracy.group(1));
        }
        assertTrue(last >= 0.9, "the shapes model's test accuracy: " + last);
        assertThat(output, matchesPattern("(?s).*0 +\\S*circle-0\\.png +(circle|square|triangle) +0\\.\\d+.*"));
        assertThat(output, matchesPattern("(?s).*1 +\\S*triangle-0\\.png +(circle|square|triangle) +0\\.\\d+.*"));
        assertThat(output, matchesPattern("(?s).*\"predicted\": \"(circle|square|triangle)\".*"));
        assertThat(output, matchesPattern("(?s).*Wrote 30 predictions to \\S*shapes-scored\\.csv.*"));
        assertThat(output, matchesPattern("(?s).*file,label,confidence\\ncircle/circle-0\\.png,(circle|square|triangle),0\\.\\d+.*"));
    }

    @Test
    void theSampleDataIsWhatItsGeneratorWrites() throws IOException, InterruptedException {
        Path copy = Files.createTempFile("reviews", ".csv");
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "examples/GenerateReviews.java", "3000", "2026", copy.toString()).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.waitFor(), output);
        assertEquals(-1, Files.mismatch(copy, Path.of("examples/reviews.csv")),
                "examples/reviews.csv is exactly what examples/GenerateReviews.java writes");
    }
}
