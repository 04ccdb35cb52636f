package io.modelyard.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelyard.testing.Cli;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modelyard datasets upload DIR}: the real CLI process against a stub of {@code POST /v1/datasets} (the JDK's
 * HTTP server) that keeps what it was sent, so the zip the CLI makes of a folder is checked byte for byte without a
 * database or Keycloak. {@link CliTest} uploads a folder to the real service.
 */
class FolderUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = """
            {"id": "ds_stub", "name": "photos", "task": "image_classification",
             "latest_version": {"id": "dsv_stub", "row_count": 3, "splits": {"train": 2, "validation": 1, "test": 0},
              "validation": {"status": "passed", "rows_read": 3, "rows_accepted": 3}}}""";

    /** One request the stub received. */
    record Received(String method, Map<String, String> query, String contentType, String contentLength,
            byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Cli cli;

    @TempDir
    Path temp;

    @BeforeEach
    void stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/datasets", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), query(exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Content-Length"), body));
            byte[] answer = CREATED.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        cli = Cli.forUrl("http://127.0.0.1:" + server.getAddress().getPort()).withApiKey("myd_live_stub")
                .withEnv("MODELYARD_CLI_JAVA_OPTS", "-Djava.io.tmpdir=" + Files.createDirectories(temp.resolve("tmp")));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aFolderIsZippedWithRelativeNamesSkippingHiddenFilesAndSentAsAnImageDataset() throws IOException {
        Path photos = Files.createDirectories(temp.resolve("photos"));
        Map<String, byte[]> expected = new LinkedHashMap<>();
        expected.put("cats/1.png", png(photos.resolve("cats/1.png"), 1));
        expected.put("dogs/2.png", png(photos.resolve("dogs/2.png"), 2));
        expected.put("labels.csv", Files.readAllBytes(write(photos.resolve("labels.csv"),
                "file,label\n".getBytes(StandardCharsets.UTF_8))));
        expected.put("train/birds/3.png", png(photos.resolve("train/birds/3.png"), 3));
        write(photos.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
        png(photos.resolve("cats/.hidden.png"), 4);
        png(photos.resolve(".thumbnails/cats/1.png"), 5);
        // A link inside a hidden folder is never looked at, so it is not refused either.
        Files.createSymbolicLink(Files.createDirectories(photos.resolve(".git")).resolve("HEAD"), Path.of("/etc/hosts"));

        Cli.Result upload = cli.run("datasets", "upload", photos.toString());
        assertEquals(0, upload.exitCode(), upload.toString());
        assertEquals(1, received.size());
        Received request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals("application/zip", request.contentType());
        assertEquals(Map.of("name", "photos", "task", "image_classification"), request.query(),
                "a folder is an image_classification dataset named after the folder");
        assertEquals(String.valueOf(request.body().length), request.contentLength(), "zipped first: a known length");
        Map<String, byte[]> entries = unzip(request.body());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(entries.keySet()));
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, entries.get(name), name));

        assertThat(upload.stderr(), containsString("zip 4 files ["));
        assertThat(upload.stderr(), containsString("upload ["));
        assertThat(upload.stderr(), containsString("100%"));
        assertThat(upload.stdout(), containsString("Dataset ds_stub (photos, image_classification)"));
        assertThat(upload.stdout(), containsString("3 rows accepted of 3 read"));
        assertThat(upload.stdout(), containsString("modelyard train --dataset dsv_stub"));
        try (var left = Files.list(temp.resolve("tmp"))) {
            assertEquals(List.of(), left.toList(), "the temporary zip is deleted");
        }
    }

    @Test
    void theTaskNameAndOptionsCanBeGivenAndJsonPrintsTheAnswer() throws IOException {
        Path photos = Files.createDirectories(temp.resolve("my photos.v2"));
        png(photos.resolve("train/cats/a.png"), 1);
        png(photos.resolve("validation/dogs/b.png"), 2);
        Cli.Result upload = cli.run("datasets", "upload", photos.toString(), "--task", "image_classification",
                "--option", "drop_duplicates=false", "--json", "-q");
        assertEquals(0, upload.exitCode(), upload.toString());
        assertEquals(Map.of("name", "my photos.v2", "task", "image_classification", "drop_duplicates", "false"),
                received.get(0).query(), "a folder's name is kept whole, dots and all");
        assertEquals(List.of("train/cats/a.png", "validation/dogs/b.png"),
                List.copyOf(unzip(received.get(0).body()).keySet()));
        JsonNode printed = JSON.readTree(upload.stdout());
        assertEquals("ds_stub", printed.path("id").asText());
        assertThat(upload.stderr(), not(containsString("100%")));
    }

    @Test
    void aSymbolicLinkAnywhereInTheFolderIsRefusedNamingItAndNothingIsSent() throws IOException {
        Path photos = Files.createDirectories(temp.resolve("photos"));
        png(photos.resolve("cats/1.png"), 1);
        Path elsewhere = temp.resolve("elsewhere.png");
        png(elsewhere, 2);
        Files.createSymbolicLink(photos.resolve("cats/2.png"), elsewhere);

        Cli.Result refused = cli.run("datasets", "upload", photos.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertThat(refused.stderr(), containsString("cats/2.png in " + photos + " is a symbolic link (to " + elsewhere));
        assertThat(refused.stderr(), containsString("never followed"));
        assertEquals(List.of(), received, "nothing is sent");

        Files.delete(photos.resolve("cats/2.png"));
        Path others = Files.createDirectories(temp.resolve("others"));
        png(others.resolve("3.png"), 3);
        Files.createSymbolicLink(photos.resolve("dogs"), others);
        Cli.Result linkedFolder = cli.run("datasets", "upload", photos.toString());
        assertEquals(2, linkedFolder.exitCode(), linkedFolder.toString());
        assertThat(linkedFolder.stderr(), containsString("dogs in " + photos + " is a symbolic link"));
        assertEquals(List.of(), received);

        // The folder named on the command line may itself be a link (the person chose it); nothing below it may.
        Files.delete(photos.resolve("dogs"));
        Path alias = Files.createSymbolicLink(temp.resolve("alias"), photos);
        Cli.Result throughLink = cli.run("datasets", "upload", alias.toString(), "-q");
        assertEquals(0, throughLink.exitCode(), throughLink.toString());
        assertEquals(List.of("cats/1.png"), List.copyOf(unzip(received.get(0).body()).keySet()));
        assertEquals("alias", received.get(0).query().get("name"));
    }

    @Test
    void aFolderWithNothingToSendAFileWithoutATaskAndAMissingPathAreRefusedLocally() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        write(empty.resolve(".DS_Store"), new byte[] {1});
        Files.createDirectories(empty.resolve("cats"));
        Cli.Result nothing = cli.run("datasets", "upload", empty.toString());
        assertEquals(2, nothing.exitCode(), nothing.toString());
        assertThat(nothing.stderr(), containsString("no files to upload in " + empty));

        Path csv = write(temp.resolve("rows.csv"), "text,label\na,b\n".getBytes(StandardCharsets.UTF_8));
        Cli.Result noTask = cli.run("datasets", "upload", csv.toString());
        assertEquals(2, noTask.exitCode(), noTask.toString());
        assertThat(noTask.stderr(), containsString("--task is required for a file"));

        Cli.Result missing = cli.run("datasets", "upload", temp.resolve("nope").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertThat(missing.stderr(), containsString("no such file or folder"));
        assertEquals(List.of(), received);
    }

    @Test
    void aZipFileIsSentAsItIsAsAnImageDataset() throws IOException {
        Path zip = write(temp.resolve("shapes.zip"), new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0});
        Cli.Result upload = cli.run("datasets", "upload", zip.toString(), "-q");
        assertEquals(0, upload.exitCode(), upload.toString());
        assertEquals("application/zip", received.get(0).contentType());
        assertEquals(Map.of("name", "shapes", "task", "image_classification"), received.get(0).query());
        assertArrayEquals(Files.readAllBytes(zip), received.get(0).body());
    }

    /** A small PNG (a coloured square with a different colour per seed) written with ImageIO; answers its bytes. */
    private static byte[] png(Path file, int seed) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(seed * 40 % 256, seed * 90 % 256, seed * 150 % 256));
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(image, "png", file.toFile()));
        return Files.readAllBytes(file);
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw == null ? new ArrayList<String>() : List.of(raw.split("&"))) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
