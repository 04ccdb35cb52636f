package io.modelyard.testing;

import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ./modelyard} command-line client, run as a separate process from the repository against the
 * service under test: it reaches the service over HTTP only, as it would on a laptop. Each instance has its own
 * configuration directory (its stored credentials).
 */
public final class Cli {

    private final Path configDir;
    private final Map<String, String> environment = new HashMap<>();

    private Cli(Path configDir) {
        this.configDir = configDir;
    }

    /** A CLI aimed at the service under test, signed in to nothing yet. */
    public static Cli forTestService() {
        try {
            Cli cli = new Cli(Files.createTempDirectory("modelyard-cli-"));
            cli.environment.put("MODELYARD_URL", RestAssured.baseURI + ":" + RestAssured.port);
            cli.environment.put("MODELYARD_ISSUER", Keycloak.REALM_URL);
            return cli;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CLI aimed at any service (a stub server in a plain JUnit test), signed in to nothing yet. */
    public static Cli forUrl(String url) {
        try {
            Cli cli = new Cli(Files.createTempDirectory("modelyard-cli-"));
            cli.environment.put("MODELYARD_URL", url);
            return cli;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every later command authenticates with this API key (MODELYARD_API_KEY). */
    public Cli withApiKey(String key) {
        environment.put("MODELYARD_API_KEY", key);
        return this;
    }

    public Cli withEnv(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Path configDir() {
        return configDir;
    }

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs {@code ./modelyard args...} to its end (at most 3 minutes). */
    public Result run(String... args) {
        Process process = start(null, args);
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("modelyard " + String.join(" ", args) + " did not finish");
            }
            return result(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command and feeds {@code stdin} to it. */
    public Result runWithInput(String stdin, String... args) {
        Process process = start(stdin, args);
        try {
            process.waitFor(1, TimeUnit.MINUTES);
            return result(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a command without waiting; its output goes to files read by {@link #result}. */
    public Process start(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of("modelyard").toAbsolutePath().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        try {
            Path stderr = Files.createTempFile(configDir, "stderr-", ".txt");
            Path stdout = Files.createTempFile(configDir, "stdout-", ".txt");
            builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().remove("MODELYARD_API_KEY");
            builder.environment().put("MODELYARD_CONFIG_DIR", configDir.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            OUTPUTS.put(process, new Path[] {stdout, stderr});
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output a started process has written so far (its standard error). */
    public static String stderrSoFar(Process process) {
        try {
            return Files.readString(OUTPUTS.get(process)[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result result(Process process) {
        try {
            Path[] files = OUTPUTS.remove(process);
            return new Result(process.exitValue(), Files.readString(files[0]), Files.readString(files[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();
}
