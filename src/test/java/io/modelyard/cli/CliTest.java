package io.modelyard.cli;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelyard.image.TestImages;
import io.modelyard.testing.Cli;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code ./modelyard} command line, run as a separate process against the running service, as a person or a
 * script uses it: sign in, upload, train and follow, read the evaluation, move an alias, predict, read usage —
 * and the exit codes and {@code --json} output scripts rely on.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REVIEWS = Path.of("examples/reviews.csv");

    private TestTenant tenant;
    private Cli cli;

    @BeforeEach
    void tenantWithKey() {
        if (tenant != null) {
            return;
        }
        tenant = TestTenant.signUp("CLI Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        cli = Cli.forTestService().withApiKey(tenant.apiKey("read", "datasets:write", "jobs:write", "predict",
                "admin"));
    }

    @Test
    void aPersonSignsInWithTheDeviceFlowAndOut() throws IOException {
        Keycloak.ensureDeviceGrant();
        Cli person = Cli.forTestService();
        Process login = person.start(null, "login");
        String[] link = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Matcher m = Pattern.compile("\\(or open (\\S+)\\)").matcher(Cli.stderrSoFar(login));
            if (m.find()) {
                link[0] = m.group(1);
            }
            return link[0] != null || !login.isAlive();
        });
        assertThat(Cli.stderrSoFar(login), containsString("enter the code"));
        Keycloak.approveDevice(link[0], tenant.owner());
        await().atMost(Duration.ofSeconds(30)).until(() -> !login.isAlive());
        Cli.Result signedIn = Cli.result(login);
        assertEquals(0, signedIn.exitCode(), signedIn.toString());
        assertThat(signedIn.stdout(), containsString("as " + tenant.owner().username()));
        assertThat(signedIn.stdout(), containsString(tenant.id()));

        Path credentials = person.configDir().resolve("credentials.json");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(credentials), "only its owner may read the stored tokens");
        Cli.Result whoami = person.run("whoami");
        assertEquals(0, whoami.exitCode(), whoami.toString());
        assertThat(whoami.stdout(), containsString("signed in through"));

        assertEquals(0, person.run("logout").exitCode());
        assertThat(Files.readString(credentials), not(containsString("token")));
        Cli.Result after = person.run("datasets", "list");
        assertEquals(3, after.exitCode(), after.toString());
        assertThat(after.stderr(), containsString("modelyard login"));
    }

    @Test
    void anApiKeyReadFromStandardInputIsStoredAndUsed() {
        Cli script = Cli.forTestService();
        String key = tenant.apiKey("read");
        Cli.Result login = script.runWithInput(key + "\n", "login", "--with-api-key");
        assertEquals(0, login.exitCode(), login.toString());
        Cli.Result whoami = script.run("whoami");
        assertThat(whoami.stdout(), containsString("API key stored"));
        assertThat(whoami.stdout(), containsString(tenant.id()));
    }

    @Test
    void uploadTrainFollowEvaluateAliasPredictAndReadUsage() throws IOException {
        Cli.Result upload = cli.run("datasets", "upload", REVIEWS.toString(), "--task", "text_classification",
                "--name", "cli-reviews");
        assertEquals(0, upload.exitCode(), upload.toString());
        assertThat(upload.stderr(), containsString("100%"));
        assertThat(upload.stdout(), containsString("rows accepted of 3000 read"));
        assertThat(upload.stdout(), containsString("duplicate_row"));
        assertThat(upload.stdout(), matchesPattern("(?s).*positive\\s+\\d+\\s+[0-9.]+%.*"));
        String version = match(upload.stdout(), "modelyard train --dataset (dsv_\\w+)");

        Cli.Result train = cli.run("train", "--dataset", version, "--epochs", "2", "--set", "embedding_size=16",
                "--suffix", "cli", "--follow");
        assertEquals(0, train.exitCode(), train.toString());
        assertThat(train.stdout(), containsString("queued → running"));
        assertThat(train.stdout(), matchesPattern("(?s).*epoch 1 +train_loss [0-9.]+ +val_loss [0-9.]+ +val_accuracy.*"));
        assertThat(train.stdout(), containsString("epoch 2"));
        assertThat(train.stderr(), containsString("training ["));
        assertThat(train.stderr(), containsString("100%"));
        String model = match(train.stdout(), "succeeded: model (mdl_\\w+)");

        Cli.Result show = cli.run("models", "show", model);
        assertEquals(0, show.exitCode(), show.toString());
        assertThat(show.stdout(), containsString("cli-reviews-cli v1"));
        assertThat(show.stdout(), containsString("actual \\ predicted  negative  neutral  positive"));
        assertThat(show.stdout(), matchesPattern("(?s).*\\nneutral +\\d+ +\\d+ +\\d+\\n.*"));
        JsonNode shown = json(cli.run("models", "show", model, "--json"));
        assertEquals(3, shown.path("evaluation").path("classification").path("confusion_matrix").path("counts").size());

        assertEquals(0, cli.run("models", "alias", "production", model).exitCode());
        Cli.Result predict = cli.run("predict", "production", "Terrible. It broke after two days. Returning it.",
                "Love it! Works perfectly. Would buy again.");
        assertEquals(0, predict.exitCode(), predict.toString());
        assertThat(predict.stdout(), matchesPattern("(?s).*0 +Terrible.*negative +0\\.\\d+.*"));
        assertThat(predict.stdout(), matchesPattern("(?s).*1 +Love it.*positive +0\\.\\d+.*"));

        Path rows = Files.createTempFile("rows", ".csv");
        Files.writeString(rows, "id,review\n1,\"Avoid. The kettle arrived damaged, I want a refund.\"\n"
                + "2,Five stars. The tent looks great.\n");
        JsonNode fromFile = json(cli.run("predict", model, "--file", rows.toString(), "--column", "review", "--json"));
        assertEquals("negative", fromFile.path("data").path(0).path("label").asText());
        assertEquals("positive", fromFile.path("data").path(1).path("label").asText());

        Cli.Result usage = cli.run("usage");
        assertEquals(0, usage.exitCode(), usage.toString());
        assertThat(usage.stdout(), matchesPattern("(?s)DAY +.*predictions.*\\n\\d{4}-\\d\\d-\\d\\d .*"));
        JsonNode usageJson = json(cli.run("usage", "--json", "--meter", "predictions"));
        assertEquals(4, usageJson.path("data").path(0).path("quantity").asInt(), usageJson.toString());

        // The same file as a batch prediction, as JSON Lines; a foreign or unknown model is not found.
        Path scored = Files.createTempFile("scored", ".jsonl");
        Cli.Result batch = cli.run("batch", "production", "--file", rows.toString(), "--format", "jsonl", "-o",
                scored.toString());
        assertEquals(0, batch.exitCode(), batch.toString());
        assertThat(batch.stderr(), containsString("predicting ["));
        java.util.List<String> lines = Files.readAllLines(scored);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("negative", new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0))
                .path("label").asText(), lines.get(0));
        assertEquals(4, cli.run("batch", "mdl_01doesnotexist0000000000000", "--file", rows.toString())
                .exitCode());
        assertEquals(2, cli.run("batch", "production").exitCode(), "an input is required");
    }

    @Test
    void aFolderOfImagesIsZippedAndUploadedAsAnImageDataset() throws IOException {
        // A tenant of its own: its predictions must not count in the other tests' usage.
        TestTenant studio = TestTenant.signUp("CLI Photo Studio");
        TestPlans.assign(studio, TestPlans.unlimited());
        Cli cli = Cli.forTestService().withApiKey(studio.apiKey("read", "datasets:write", "jobs:write", "predict"));
        Path photos = Files.createTempDirectory("cli-photos-");
        int seed = 0;
        for (String split : java.util.List.of("train", "validation", "test")) {
            int count = split.equals("train") ? 8 : 2;
            for (String label : java.util.List.of("cats", "dogs")) {
                for (int i = 0; i < count; i++) {
                    png(photos.resolve(split + "/" + label + "/" + i + ".png"), seed++);
                }
            }
        }
        png(photos.resolve("train/cats/.hidden.png"), seed++);
        Files.write(photos.resolve(".DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});

        Cli.Result upload = cli.run("datasets", "upload", photos.toString(), "--name", "cli-photos");
        assertEquals(0, upload.exitCode(), upload.toString());
        assertThat(upload.stderr(), containsString("zip 24 files ["));
        assertThat(upload.stderr(), containsString("100%"));
        assertThat(upload.stdout(), containsString("(cli-photos, image_classification)"));
        assertThat(upload.stdout(), containsString("Splits: train 16, validation 4, test 4"));
        String dataset = match(upload.stdout(), "Dataset (ds_\\w+)");
        JsonNode shown = json(cli.run("datasets", "show", dataset, "--json"));
        assertEquals(24, shown.path("latest_version").path("row_count").asInt(), "the hidden image was not sent");

        // Trained, the model answers image files given on the command line, one row per file.
        Cli.Result train = cli.run("train", "--dataset", shown.path("latest_version").path("id").asText(),
                "--architecture", "cnn_small", "--epochs", "1", "--set", "hidden_size=8", "--follow");
        assertEquals(0, train.exitCode(), train.toString());
        String model = match(train.stdout(), "succeeded: model (mdl_\\w+)");
        Path cat = photos.resolve("test/cats/0.png");
        Path dog = photos.resolve("test/dogs/1.png");
        Cli.Result predict = cli.run("predict", model, "--image", cat.toString(), "--image", dog.toString());
        assertEquals(0, predict.exitCode(), predict.toString());
        assertThat(predict.stdout(), matchesPattern("(?s).*0 +\\S*cats/0\\.png +(cats|dogs) +0\\.\\d+.*"));
        assertThat(predict.stdout(), matchesPattern("(?s).*1 +\\S*dogs/1\\.png +(cats|dogs) +0\\.\\d+.*"));
        // A folder of images batch-predicted: zipped, uploaded, followed, the result downloaded.
        Path results = photos.resolveSibling(photos.getFileName() + "-results.csv");
        Cli.Result batch = cli.run("batch", model, "--dir", photos.resolve("test").toString(), "-o",
                results.toString());
        assertEquals(0, batch.exitCode(), batch.toString());
        assertThat(batch.stdout(), containsString("Wrote 4 predictions to " + results));
        java.util.List<String> lines = Files.readAllLines(results);
        assertEquals(5, lines.size(), lines.toString());
        assertThat(lines.get(0), matchesPattern("row,split,file,image_id,label,confidence,.*"));
        assertThat(String.join("\n", lines), containsString(",cats/0.png,"));
        Cli.Result notAFolder = cli.run("batch", model, "--dir", results.toString());
        assertEquals(2, notAFolder.exitCode(), notAFolder.toString());
        Cli.Result notAnImage = cli.run("predict", model, "--image", photos.resolve(".DS_Store").toString());
        assertEquals(5, notAnImage.exitCode(), notAnImage.toString());
        assertThat(notAnImage.stderr(), containsString("not a readable JPEG"));

        Files.createSymbolicLink(photos.resolve("test/dogs/link.png"), photos.resolve("train/dogs/0.png"));
        Cli.Result refused = cli.run("datasets", "upload", photos.toString());
        assertEquals(2, refused.exitCode(), refused.toString());
        assertThat(refused.stderr(), containsString("test/dogs/link.png in " + photos + " is a symbolic link"));
    }

    @Test
    void exitCodesTellScriptsWhatWentWrong() throws IOException {
        Cli.Result missing = cli.run("models", "show", "mdl_01doesnotexist0000000000000");
        assertEquals(4, missing.exitCode(), missing.toString());
        assertThat(missing.stderr(), containsString("Not found (404)"));

        JsonNode problem = json(cli.run("models", "show", "mdl_01doesnotexist0000000000000", "--json"));
        assertEquals(404, problem.path("status").asInt());

        Cli.Result badKey = Cli.forTestService().withApiKey("myd_live_notakey").run("datasets", "list");
        assertEquals(3, badKey.exitCode(), badKey.toString());

        Path unlabeled = Files.createTempFile("unlabeled", ".csv");
        Files.writeString(unlabeled, "text\nhello there\nhow are you\n");
        Cli.Result refused = cli.run("datasets", "upload", unlabeled.toString(), "--task", "text_classification");
        assertEquals(5, refused.exitCode(), refused.toString());
        assertThat(refused.stderr(), containsString("422"));

        assertEquals(2, cli.run("datasets", "upload", unlabeled.toString()).exitCode(), "--task is required");

        // Another tenant's dataset is not found, as over the API.
        TestTenant other = TestTenant.signUp("Other CLI Co");
        String foreign = other.owner().api().contentType("text/csv").body("text,label\na b,x\nc d,y\ne f,x\ng h,y\n")
                .post("/v1/datasets?name=foreign&task=text_classification").then().statusCode(201)
                .extract().path("id");
        assertEquals(4, cli.run("datasets", "show", foreign).exitCode());
    }

    @Test
    void followingAJobThatEndsCancelledExitsSeven() {
        String version = tenant.owner().api().contentType("text/csv").body(sample())
                .post("/v1/datasets?name=cancel-me&task=text_classification").then().statusCode(201)
                .extract().path("latest_version.id");
        // Long enough that the cancel always lands before the work ends (50 epochs of this sample took under a
        // second, and a cancel arriving after the last epoch rightly lets the job succeed).
        JsonNode started = json(cli.run("train", "--dataset", version, "--epochs", "5000", "--set",
                "early_stopping_patience=0", "--json"));
        String job = started.path("id").asText();
        Cli.Result cancel = cli.run("jobs", "cancel", job);
        assertEquals(0, cancel.exitCode(), cancel.toString());
        Cli.Result follow = cli.run("jobs", "follow", job);
        assertEquals(7, follow.exitCode(), follow.toString());
        assertThat(follow.stdout(), containsString("ended cancelled"));
    }

    /** A small PNG, different for each seed, written with ImageIO. */
    private static void png(Path file, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(javax.imageio.ImageIO.write(TestImages.shapes(24, 24, seed), "png", file.toFile()));
    }

    private static String sample() {
        StringBuilder csv = new StringBuilder("text,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 2 == 0 ? "good great fine " + i : "bad awful poor " + i).append(',')
                    .append(i % 2 == 0 ? "pos" : "neg").append('\n');
        }
        return csv.toString();
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in:\n" + text);
        return m.group(1);
    }

    private static JsonNode json(Cli.Result result) {
        try {
            return JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + result, e);
        }
    }
}
