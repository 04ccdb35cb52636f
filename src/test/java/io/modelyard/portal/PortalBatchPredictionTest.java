package io.modelyard.portal;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TrainedModels;
import io.modelyard.training.engine.Example;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * Batch predictions in a real browser: from a model's page to the form, a dataset version predicted as a job
 * whose page follows it live and offers the result file (the same bytes as the API's); a file uploaded through
 * the form predicted alike; bad input shown on the form and leaving no job; another tenant's batch prediction
 * and its result answer 404.
 */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalBatchPredictionTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ModelFixtures fixtures;

    PortalBrowser browser;

    @BeforeEach
    void openBrowser() {
        browser = new PortalBrowser(root.toString());
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void aTenantPredictsAVersionAndAFileAndDownloadsTheResults(@TempDir Path files) throws IOException {
        TestTenant tenant = TestTenant.signUp("Batch Portal");
        TestPlans.assign(tenant, TestPlans.unlimited());
        TrainedModels.Trained topics = TrainedModels.topics();
        String model = fixtures.register(tenant.id(), "topics", topics);
        List<Example> test = topics.data().test();
        StringBuilder csv = new StringBuilder("text,label\n");
        test.forEach(e -> csv.append(e.text()).append(',').append(e.label()).append('\n'));
        String version = Datasets.upload(tenant.owner().api(), "topics-test", "text_classification", csv.toString(),
                "drop_duplicates", "false");
        long rows = tenant.owner().api().get("/v1/dataset-versions/" + version).then().statusCode(200).extract()
                .jsonPath().getLong("row_count");

        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.waitFor(d -> browser.path().equals(base));
        browser.open(base + "/models/" + model);
        browser.find("#batch-link").click();
        browser.waitForElement("#batch-version-form");
        assertEquals(model, new Select(browser.find("#batch-model")).getFirstSelectedOption().getAttribute("value"),
                "the model page's link chooses its model");

        // A top k that is not a number is refused on the form, and nothing is started.
        browser.find("#batch-top-k").sendKeys("two");
        browser.find("#batch-version-form button[type=submit]").click();
        browser.waitFor(d -> browser.find("#batch-version-form .form-errors").getText().contains("whole number"));
        assertEquals(0, batchCount(tenant));

        browser.find("#batch-top-k").clear();
        browser.find("#batch-version-form button[type=submit]").click();
        browser.waitFor(d -> browser.path().startsWith(base + "/batch-predictions/job_"));
        String versionBatch = browser.path().substring(browser.path().lastIndexOf('/') + 1);
        awaitSucceededPage();
        assertEquals(String.valueOf(rows), browser.find("#batch-rows").getText());
        assertTrue(browser.find("#job .events").getText().contains("rows"), "the job's messages: "
                + browser.find("#job .events").getText());
        browser.screenshot("batch-prediction-page");
        byte[] shown = download(base, versionBatch);
        byte[] api = tenant.owner().api().get("/v1/batch-predictions/" + versionBatch + "/result").then()
                .statusCode(200).extract().asByteArray();
        assertArrayEquals(api, shown, "the portal's download is the API's result file");
        assertEquals(rows + 1, lines(shown).size(), "a header and one line per row");

        // A file through the form: three texts, no labels.
        browser.open(base + "/batch-predictions?model=" + model);
        Path texts = files.resolve("texts.csv");
        Files.writeString(texts, "text\n" + test.get(0).text() + "\n" + test.get(1).text() + "\n"
                + test.get(2).text() + "\n");
        browser.find("#batch-file").sendKeys(texts.toString());
        browser.find("#batch-file-form button[type=submit]").click();
        browser.waitFor(d -> browser.path().startsWith(base + "/batch-predictions/job_"));
        String fileBatch = browser.path().substring(browser.path().lastIndexOf('/') + 1);
        awaitSucceededPage();
        List<String> predicted = lines(download(base, fileBatch));
        assertEquals(4, predicted.size(), String.join("\n", predicted));
        String online = tenant.owner().api().body(java.util.Map.of("inputs", List.of(test.get(0).text())))
                .post("/v1/models/" + model + "/predict").then().statusCode(200).extract().path("data[0].label");
        assertEquals(online, predicted.get(1).split(",")[2], "row, split, then the label the model answers online");

        // A file the model cannot read: refused on the form, no job and nothing billed.
        browser.open(base + "/batch-predictions");
        Path wrong = files.resolve("wrong.csv");
        Files.writeString(wrong, "title,body\nfootball,match\n");
        browser.find("#batch-file").sendKeys(wrong.toString());
        browser.find("#batch-file-form button[type=submit]").click();
        browser.waitFor(d -> !browser.find("#batch-file-form .form-errors").getText().isBlank());
        assertTrue(browser.find("#batch-file-form .form-errors").getText().contains("text"),
                browser.find("#batch-file-form .form-errors").getText());
        assertEquals(2, batchCount(tenant));
        browser.open(base + "/batch-predictions");
        assertEquals(2, browser.findAll("#batches tbody tr").size(), "both jobs listed");
        browser.screenshot("batch-predictions");

        // Another tenant's batch prediction is not found, neither its page nor its result.
        TestTenant other = TestTenant.signUp("Other Batch");
        TestPlans.assign(other, TestPlans.unlimited());
        String theirModel = fixtures.register(other.id(), "topics", topics);
        String theirBatch = other.owner().api().contentType("text/csv").queryParam("model", theirModel)
                .body("text\nthe match\n").post("/v1/batch-predictions").then().statusCode(202).extract().path("id");
        asPortal().get(base + "/batch-predictions/" + theirBatch).then().statusCode(404);
        asPortal().get(base + "/batch-predictions/" + theirBatch + "/result").then().statusCode(404);
        asPortal().post(base + "/batch-predictions/" + theirBatch + "/cancel").then().statusCode(404);
        asPortal().get("/portal/t/" + other.id() + "/batch-predictions/" + theirBatch).then().statusCode(404);
        asPortal().contentType("application/x-www-form-urlencoded").formParam("model", theirModel)
                .formParam("dataset_version_id", version).post(base + "/batch-predictions").then().statusCode(404)
                .body(containsString(theirModel));
        assertEquals(2, batchCount(tenant));
    }

    /** The job page reloads once the job succeeded, and then offers the download. */
    private void awaitSucceededPage() {
        browser.waitFor(d -> !browser.findAll("#download-result").isEmpty() || !browser.findAll("#batch-error")
                .isEmpty(), Duration.ofMinutes(2));
        assertEquals("succeeded", browser.find(".job-state").getText(), () -> browser.find("main").getText());
    }

    private byte[] download(String base, String batch) {
        return asPortal().get(base + "/batch-predictions/" + batch + "/result").then().statusCode(200)
                .header("Content-Disposition", containsString(batch)).extract().asByteArray();
    }

    private static List<String> lines(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).lines().toList();
    }

    private static int batchCount(TestTenant tenant) {
        return tenant.owner().api().get("/v1/batch-predictions").then().statusCode(200).extract().jsonPath()
                .getList("data").size();
    }

    /** Requests outside the browser with its session and CSRF token, as a forging script would send them. */
    private RequestSpecification asPortal() {
        return RestAssured.given().redirects().follow(false).cookie("q_session_portal", browser.sessionCookie())
                .header("X-CSRF-Token", browser.csrfToken()).header("HX-Request", "true");
    }
}
