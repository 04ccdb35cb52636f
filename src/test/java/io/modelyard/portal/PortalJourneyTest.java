package io.modelyard.portal;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * A new person, in a real browser, from Keycloak's login page to a prediction counted on their bill: sign up,
 * upload a CSV, train while the charts draw, read the evaluation, try the model, make an API key, call the API
 * with it, and find the call on the usage page. Mostly by keyboard, checking labels on every page.
 */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalJourneyTest {

    @TestHTTPResource("/")
    URL root;

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
    void aNewPersonSignsUpTrainsAModelTriesItAndCallsItWithAnApiKey() throws Exception {
        TestUser person = Keycloak.newUser("portal");
        browser.signIn(person, "/portal");

        // Start: no tenant yet, so the sign-up form has the focus; type a name and press Enter.
        browser.waitForElement("#tenant-name");
        assertLabelled();
        browser.driver().switchTo().activeElement().sendKeys("Journey Labs" + Keys.ENTER);
        browser.waitFor(d -> browser.path().matches("/portal/t/ten_[^/]+"));
        String base = browser.path();
        assertTrue(browser.find("main h1").getText().contains("Journey Labs"));
        assertEquals("0 of 4 steps done", browser.find("#first-run + p").getText());

        // Datasets: upload a CSV with a progress bar; the version page shows the reports and the label chart.
        browser.open(base + "/datasets");
        assertLabelled();
        Path csv = Files.createTempFile("topics", ".csv");
        Files.writeString(csv, GeneratedData.topics(450, 11));
        browser.find("#upload-file").sendKeys(csv.toString());
        browser.find("#upload-name").sendKeys("topics");
        new Select(browser.find("#upload-task")).selectByValue("text_classification");
        browser.find("#upload-seed").sendKeys("7" + Keys.ENTER);
        browser.waitFor(d -> browser.path().startsWith(base + "/dataset-versions/dsv_"), Duration.ofSeconds(60));
        assertTrue(browser.find("#validation-title").getText().contains("valid"));
        browser.waitFor(d -> !"0".equals(browser.find("#label-chart").getAttribute("data-points"))
                && browser.find("#label-chart").getAttribute("data-points") != null);
        assertLabelled();
        browser.screenshot("portal-dataset-version");
        // a re-clean with a split seed that is no whole number is explained on the form and makes no version
        String versionPath = browser.path();
        browser.find("#clean-seed").sendKeys("lucky");
        browser.find("form[hx-post$='/clean'] button[type=submit]").click();
        String seedRefusal = browser.waitFor(d -> {
            String shown = browser.find("form[hx-post$='/clean'] .form-errors").getText();
            return shown.isBlank() ? null : shown;
        });
        assertTrue(seedRefusal.contains("split_seed") || seedRefusal.contains("whole number"), seedRefusal);
        assertEquals(versionPath, browser.path());
        browser.open(base + "/datasets");
        assertEquals("1", browser.find("main table tbody tr td:nth-child(4)").getText(), "still one version");
        assertTrue(browser.find("main table tbody tr").getText().contains("text_classification"),
                "the task as written");
        browser.open(versionPath);

        // Training: the dry-run estimate appears before starting; the job page draws the curves live.
        browser.find("a[href*='/training-jobs/new']").sendKeys(Keys.ENTER);
        browser.waitForElement("#estimate-result");
        assertLabelled();
        new Select(browser.find("#train-architecture")).selectByValue("text_cnn");
        browser.find("#train-seed").sendKeys("3");
        browser.find("#train-batch").sendKeys("16");
        browser.find("#train-epochs").sendKeys("12" + Keys.ENTER);
        browser.waitFor(d -> browser.path().startsWith(base + "/training-jobs/job_"));
        String jobPath = browser.path();
        List<String> seen = watchTheJob();
        TreeSet<Integer> pointsWhileRunning = new TreeSet<>();
        for (String s : seen) {
            if (s.startsWith("running:")) {
                pointsWhileRunning.add(Integer.parseInt(s.substring("running:".length())));
            }
        }
        assertTrue(pointsWhileRunning.size() >= 2, "the loss chart gained points while the job ran: " + seen);
        browser.open(jobPath);
        assertEquals("succeeded", browser.find(".job-state").getText());
        assertEquals("24", browser.find("#loss-chart").getAttribute("data-points"), "12 epochs, two curves");
        browser.screenshot("portal-training-job");

        // The model: evaluation with a 3 x 3 confusion matrix, then "try it" by keyboard.
        browser.find("a[href*='/models/mdl_']").sendKeys(Keys.ENTER);
        browser.waitForElement("#confusion-matrix");
        assertEquals(3, browser.findAll("#confusion-matrix tbody tr").size());
        assertEquals(3, browser.findAll("#per-class tbody tr").size());
        assertLabelled();
        String modelId = browser.path().substring(browser.path().lastIndexOf('/') + 1);
        assertTrue(browser.find("main").getText().contains("text_classification · text_cnn"), "task and network");
        var inputs = browser.find("#try-inputs");
        inputs.clear();
        inputs.sendKeys(GeneratedData.topicText("science", 5));
        inputs.sendKeys(Keys.TAB, Keys.TAB, Keys.ENTER);
        browser.waitForElement("#prediction-result");
        assertFalse(browser.find("#prediction-result strong").getText().isBlank());
        assertEquals(3, browser.findAll("#prediction-result meter").size(), "a probability per class");
        assertFalse(browser.findAll("#prediction-result .tokens span").isEmpty(), "the words, highlighted");
        browser.screenshot("portal-model");

        // Deploy: point the production alias at it (the field holds "production"; Enter moves it).
        browser.find("#alias-name").sendKeys(Keys.ENTER);
        browser.waitFor(d -> browser.findAll("h1 .badge.ok").stream().anyMatch(b -> b.getText().equals("production")));

        // An API key: the secret is shown once, with a copy button.
        browser.open(base + "/api-keys");
        assertLabelled();
        browser.find("#key-name").sendKeys("checkout" + Keys.ENTER);
        String secret = browser.waitForElement("#key-secret").getText();
        assertTrue(secret.startsWith("myd_live_"));
        assertNotNull(browser.find("button[data-copy='key-secret']"));

        // Outside the browser: a program calls the model with that key.
        TestTenant.withKey(secret).body(Map.of("inputs", List.of(GeneratedData.topicText("sport", 9))))
                .post("/v1/models/" + modelId + "/predict")
                .then().statusCode(200).body("model_id", equalTo(modelId));

        // Usage: both predictions (the "try it" one and the API call) are on the bill.
        browser.open(base + "/usage");
        browser.waitFor(d -> {
            browser.open(base + "/usage");
            return Double.parseDouble(browser.find("[data-meter=predictions] .used").getAttribute("data-used")) >= 2;
        }, Duration.ofSeconds(30));
        assertLabelled();
        // quantities written for people: a zero allowance as such, thousands grouped, storage in GB-hours
        assertEquals("not in the plan", browser.find("[data-meter=training_gpu_seconds] .muted").getText());
        String predictions = browser.find("[data-meter=predictions]").getText();
        assertTrue(predictions.contains("of 10,000 limit"), predictions);
        String storage = browser.find("[data-meter=storage_byte_hours]").getText();
        assertTrue(storage.contains("GB-hours of 730 limit"), storage);
        String invoice = browser.find("#invoice").getText();
        assertTrue(invoice.contains("Predictions (predictions)") && invoice.contains("Storage (GB-hours)"), invoice);
        browser.screenshot("portal-usage");
        browser.open(base);
        assertEquals("4 of 4 steps done", browser.find("#first-run + p").getText());

        assertEquals(List.of(), cspViolations(), "no Content-Security-Policy violation on any page");
    }

    /** Polls the job page until it shows the job succeeded; returns "state:points" as seen over time. */
    private List<String> watchTheJob() {
        List<String> seen = new ArrayList<>();
        browser.waitFor(d -> {
            Object state = browser.script("var s = document.querySelector('.job-state');"
                    + " var c = document.querySelector('#loss-chart');"
                    + " return s && c ? s.textContent + ':' + c.getAttribute('data-points') : null;");
            if (state != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state))) {
                seen.add(state.toString());
            }
            return state != null && state.toString().startsWith("succeeded")
                    || state != null && state.toString().startsWith("failed");
        }, Duration.ofSeconds(240));
        assertTrue(seen.get(seen.size() - 1).startsWith("succeeded"), "the job succeeded: " + seen);
        return seen;
    }

    private void assertLabelled() {
        assertEquals(List.of(), browser.unlabelledControls(), "every form control on " + browser.path()
                + " has a label");
    }

    private List<String> cspViolations() {
        return browser.consoleMessages().stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to")).toList();
    }
}
