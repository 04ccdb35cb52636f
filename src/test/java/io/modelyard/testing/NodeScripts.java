package io.modelyard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Node.js scripts of the test suite (src/test/node), run with the npm packages their package.json pins. The
 * packages are installed from the npm registry into target/node (never into the repository), with npm's download
 * cache under ~/.cache/modelyard/npm, so a second run needs no network. Node and npm come from Debian's packages
 * (dev/test installs them when missing).
 */
public final class NodeScripts {

    private static final Path SOURCE = Path.of("src/test/node");
    private static final Path HOME = Path.of("target/node");
    private static boolean installed;

    private NodeScripts() {
    }

    /** What a script printed and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** Runs {@code script} (a file in src/test/node) with {@code environment}, at most {@code minutes}. */
    public static Run run(String script, Map<String, String> environment, int minutes) {
        install();
        try {
            Files.copy(SOURCE.resolve(script), HOME.resolve(script), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ProcessBuilder builder = new ProcessBuilder("node", script).directory(HOME.toFile())
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output;
            try (var in = process.getInputStream()) {
                if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError(script + " did not finish within " + minutes + " minutes");
                }
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(HOME);
            Path wanted = SOURCE.resolve("package.json");
            Path current = HOME.resolve("package.json");
            boolean same = Files.exists(current) && Files.mismatch(wanted, current) == -1
                    && Files.isDirectory(HOME.resolve("node_modules"));
            if (!same) {
                Files.copy(wanted, current, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Path cache = Path.of(System.getProperty("user.home"), ".cache", "modelyard", "npm");
                Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund",
                        "--no-package-lock", "--prefer-offline", "--cache", cache.toString()))
                        .directory(HOME.toFile()).redirectErrorStream(true).start();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    throw new IllegalStateException("npm install failed in " + HOME + ":\n" + output);
                }
            }
            installed = true;
        } catch (IOException e) {
            throw new IllegalStateException("Node.js and npm are needed for this test (dev/test installs Debian's"
                    + " nodejs and npm): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
