package io.modelyard.common;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

/**
 * Readiness: the database's schema is at least as new as the newest migration packaged in this build. A process
 * that does not migrate at start (the api role) would otherwise serve requests against tables it expects and does
 * not find. One indexed query on Flyway's history table, not Flyway's own validation (which parses and checksums
 * every script, and needs the schema owner's login). Once up it stays up (schemas only move forward); while down
 * every probe checks again, so the pod goes ready when the migration Job has run. A schema newer than the build is
 * fine: during a rolling upgrade the previous release's pods keep serving after the new release's Job migrated.
 */
@Readiness
@ApplicationScoped
public class SchemaVersionHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(SchemaVersionHealthCheck.class);
    private static final Pattern VERSIONED = Pattern.compile("(?:^|/)V(\\d+(?:[._]\\d+)*)__[^/]*\\.sql$");
    static final String NAME = "Database schema";

    private final AgroalDataSource database;
    private final String location;
    private volatile MigrationVersion packaged;
    private volatile boolean current;

    SchemaVersionHealthCheck(AgroalDataSource database,
            @ConfigProperty(name = "quarkus.flyway.migration.locations", defaultValue = "db/migration") String locations) {
        this.database = database;
        this.location = locations.split(",")[0].trim().replaceFirst("^classpath:", "").replaceAll("^/+|/+$", "");
    }

    @Override
    public HealthCheckResponse call() {
        MigrationVersion expected = packagedVersion();
        if (current) {
            return HealthCheckResponse.named(NAME).up().withData("expected", expected.getVersion()).build();
        }
        try {
            Optional<MigrationVersion> installed = installedVersion();
            if (installed.isEmpty()) {
                return down(expected, "none", "The database has no migrations applied: run the migrate role"
                        + " (the chart's migration Job) first");
            }
            if (installed.get().compareTo(expected) < 0) {
                return down(expected, installed.get().getVersion(), "The database schema is at version "
                        + installed.get().getVersion() + " but this build needs " + expected.getVersion()
                        + ": run the migrate role (the chart's migration Job) for this release first");
            }
            current = true;
            return HealthCheckResponse.named(NAME).up().withData("expected", expected.getVersion())
                    .withData("installed", installed.get().getVersion()).build();
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) { // V84 grants the read: a schema from before it is older
                return down(expected, "older than 84", "The database schema predates this build (the application"
                        + " role may not read flyway_schema_history yet) and this build needs " + expected.getVersion()
                        + ": run the migrate role (the chart's migration Job) for this release first");
            }
            return down(expected, "unknown", "Could not read the schema version: " + e.getMessage());
        }
    }

    private HealthCheckResponse down(MigrationVersion expected, String installed, String message) {
        LOG.warn(message);
        return HealthCheckResponse.named(NAME).down().withData("expected", expected.getVersion())
                .withData("installed", installed).withData("error", message).build();
    }

    private Optional<MigrationVersion> installedVersion() throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select version from flyway_schema_history where success and version is not null");
                ResultSet rows = statement.executeQuery()) {
            MigrationVersion newest = null;
            while (rows.next()) {
                MigrationVersion version = MigrationVersion.fromVersion(rows.getString(1));
                if (newest == null || version.compareTo(newest) > 0) {
                    newest = version;
                }
            }
            return Optional.ofNullable(newest);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // no history table: an empty database
                return Optional.empty();
            }

            throw e;
        }
    }

    /** The newest versioned migration in this build's {@code db/migration}, read once from the class path. */
    MigrationVersion packagedVersion() {
        MigrationVersion version = packaged;
        if (version == null) {
            version = newestPackaged(location);
            packaged = version;
        }
        return version;
    }

    static MigrationVersion newestPackaged(String location) {
        MigrationVersion newest = MigrationVersion.EMPTY;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Enumeration<URL> roots = loader.getResources(location);
            while (roots.hasMoreElements()) {
                for (String name : (Iterable<String>) names(roots.nextElement(), location)::iterator) {
                    Matcher matcher = VERSIONED.matcher(name);
                    if (matcher.find()) {
                        MigrationVersion version = MigrationVersion.fromVersion(matcher.group(1).replace('_', '.'));
                        if (version.compareTo(newest) > 0) {
                            newest = version;
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Could not list the packaged migrations in " + location, e);
        }
        if (newest == MigrationVersion.EMPTY) {
            throw new IllegalStateException("No versioned migrations found in " + location);
        }
        return newest;
    }

    private static Stream<String> names(URL root, String location) throws IOException, URISyntaxException {
        if ("file".equals(root.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                return files.map(f -> f.getFileName().toString()).toList().stream();
            }
        }
        if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (var jar = connection.getJarFile()) {
                return jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(location + "/")).toList().stream();
            }
        }
        throw new IOException("Cannot list " + root);
    }
}
