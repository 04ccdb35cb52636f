package io.modelyard.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged Modelyard jar running as a real, separate process, in a chosen role, against the test database.
 * For tests of what only processes can show: which classes a role loads, kill -9, forwarding between roles.
 */
public final class PlatformProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final Path classLog;

    private PlatformProcess(Process process, int port, Path log, Path classLog) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.classLog = classLog;
    }

    private static final String MASTER_KEY_PROPERTY = "modelyard.encryption.master-key-file";

    /**
     * The deployment's operator credential, as the chart shares it: migrating processes register it, the api role
     * (which does not migrate) only presents it. An environment variable, as in the chart.
     */
    static final String OPERATOR_CREDENTIAL = "integration-tests-operator-credential-0123456789abcdef";
    private static boolean migrated;

    /**
     * Starts the jar in {@code role}; {@code properties} become -D options (they override the defaults). Before the
     * first api process, the migrate role runs once, as the chart's Job does before a rollout.
     */
    public static PlatformProcess start(String role, Map<String, String> properties) {
        if ("api".equals(role) && !properties.containsKey("quarkus.datasource.jdbc.url")) {
            migrateOnce();
        }
        String jar = System.getProperty("modelyard.app.jar", "target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("No packaged jar at " + jar + ": run the integration tests with mvn verify");
        }
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("modelyard-" + role + "-");
            Path log = dir.resolve("stdout.log");
            Path classLog = dir.resolve("classes.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classLog,
                    "-Dmodelyard.role=" + role,
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/"
                            + System.getenv().getOrDefault("MODELYARD_TEST_DB", "modelyard_test"),
                    "-Dquarkus.log.console.json.enabled=false"));
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            if (!properties.containsKey(MASTER_KEY_PROPERTY)) {
                command.add("-D" + MASTER_KEY_PROPERTY + "=" + sharedMasterKey());
            }
            command.addAll(List.of("-jar", jar));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putIfAbsent("MODELYARD_DATABASE_OPERATOR_CREDENTIAL", OPERATOR_CREDENTIAL);
            Process process = builder.start();
            return new PlatformProcess(process, port, log, classLog);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The master key the test JVM's own application uses (generated next to the test blob directory): the packaged
     * jar runs in production mode, which needs one, and must unwrap the data keys the tests' database holds.
     */
    private static Path sharedMasterKey() {
        Path file = Path.of("target", "master-key.dev.json").toAbsolutePath();
        io.modelyard.storage.encryption.KeysetFileMasterKey.readOrGenerate(file);
        return file;
    }

    private static synchronized void migrateOnce() {
        if (!migrated) {
            migrate();
        }
    }

    /** Runs the migrate role to completion against the test database (it registers the operator credential). */
    public static synchronized void migrate() {
        try (PlatformProcess migrate = start("migrate", Map.of())) {
            int exit = migrate.awaitExit(Duration.ofSeconds(120));
            if (exit != 0) {
                throw new IllegalStateException("The migrate role exited with " + exit + ":\n" + migrate.output());
            }
        }
        migrated = true;
    }

    /** Waits until readiness answers 200. */
    public PlatformProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        HttpClient http = HttpClient.newHttpClient();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The process exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(url("/q/health/ready")))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("Not ready within " + timeout + ":\n" + output());
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://localhost:" + port + path;
    }

    public long pid() {
        return process.pid();
    }

    /** The classes this JVM has loaded so far, one per line of its class-load log. */
    public List<String> loadedClasses() {
        try {
            return Files.readAllLines(classLog).stream()
                    .map(line -> line.replaceFirst("^.*\\[class,load\\]\\s+", ""))
                    .map(line -> line.split(" ")[0])
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The native libraries mapped into the process. */
    public String nativeMappings() {
        try {
            return Files.readString(Path.of("/proc/" + process.pid() + "/maps"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hooks, no cleanup — a crashed pod. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM: a pod being stopped. */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
