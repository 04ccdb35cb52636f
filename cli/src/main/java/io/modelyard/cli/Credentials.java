package io.modelyard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * What {@code modelyard login} keeps between runs, in {@code credentials.json} under the configuration
 * directory ({@code $MODELYARD_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/modelyard}, else
 * {@code ~/.config/modelyard}), readable by its owner only. Either Keycloak tokens from the device flow or an
 * API key given to {@code login --with-api-key}.
 */
final class Credentials {

    static final String FILE = "credentials.json";

    private final Path file;
    private final ObjectNode values;

    private Credentials(Path file, ObjectNode values) {
        this.file = file;
        this.values = values;
    }

    static Credentials load(ObjectMapper json) {
        Path file = directory().resolve(FILE);
        try {
            ObjectNode values = Files.exists(file) ? (ObjectNode) json.readTree(file.toFile())
                    : json.createObjectNode();
            return new Credentials(file, values);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage()
                    + " (delete it and log in again)");
        }
    }

    static Path directory() {
        String explicit = System.getenv("MODELYARD_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("modelyard");
    }

    String text(String key) {
        return values.hasNonNull(key) ? values.get(key).asText() : null;
    }

    Instant instant(String key) {
        String value = text(key);
        return value == null ? null : Instant.parse(value);
    }

    Credentials put(String key, String value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return this;
    }

    /** Forgets every secret, keeping nothing but the settings. */
    Credentials clearSecrets() {
        values.remove(java.util.List.of("api_key", "access_token", "refresh_token", "access_expires_at",
                "refresh_expires_at", "username"));
        return this;
    }

    void save(ObjectMapper json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), values);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    Path file() {
        return file;
    }
}
