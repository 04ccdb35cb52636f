package io.modelyard.portal;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The tenant's settings page in a real browser: retention, an export, and deleting then restoring the tenant. */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalSettingsTest {

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

    /**
     * The value of an input, or null while the page is being replaced (after a form's redirect): read in one script,
     * so that no element handle can go stale between finding the input and reading it (Chromium then answers with
     * errors Selenium does not call stale).
     */
    private String valueOf(String css) {
        return (String) browser.script("var e = document.querySelector(arguments[0]); return e ? e.value : null;",
                css);
    }

    @Test
    void anOwnerSetsRetentionExportsDeletesAndRestoresTheirTenant() {
        TestTenant tenant = TestTenant.signUp("Settled Ltd");
        Datasets.upload(tenant.owner().api(), "reviews", "text_classification", GeneratedData.topics(60, 2));
        TestUser admin = tenant.addMember("admin");
        String base = "/portal/t/" + tenant.id();

        browser.signIn(tenant.owner(), base + "/settings");
        // a retention that is no whole number (the number field stops a browser; a script is not stopped) is
        // refused naming the field and saves nothing
        browser.waitForElement("#datasets-days");
        RestAssured.given().redirects().follow(false)
                .cookie("q_session_portal", browser.sessionCookie()).header("X-CSRF-Token", browser.csrfToken())
                .header("HX-Request", "true").formParam("datasets_days", "ninety")
                .post(base + "/settings/retention").then().statusCode(400)
                .body(containsString("datasets_days: must be a whole number of days"));
        tenant.owner().api().get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .body("retention.datasets_days", org.hamcrest.Matchers.nullValue());
        browser.find("#datasets-days").sendKeys("90");
        browser.find("form[hx-post$='/settings/retention'] button").click();
        // the field holds what was typed at once; the saved setting is what the API reads once the form's POST ends
        browser.waitFor(d -> Integer.valueOf(90).equals(tenant.owner().api().get("/v1/tenants/" + tenant.id())
                .then().statusCode(200).extract().path("retention.datasets_days")));
        browser.open(base + "/settings");
        assertEquals("90", valueOf("#datasets-days"), "the page shows the saved setting");

        browser.find("form[hx-post$='/settings/exports'] button").click();
        browser.waitFor(d -> {
            browser.open(base + "/settings");
            return !browser.findAll("#tenant-exports a[download]").isEmpty();
        }, Duration.ofMinutes(2));

        // the export's row as the other pages write sizes and times
        String exportRow = browser.find("#tenant-exports tbody tr").getText();
        String utc = "\\d{4}-\\d\\d-\\d\\d\\s+\\d\\d:\\d\\d\\s+UTC";
        assertTrue(exportRow.matches("(?s).*succeeded\\s+\\d+(\\.\\d)?\\s+[KM]?B\\s+" + utc + "\\s+" + utc + ".*"),
                exportRow);
        browser.screenshot("portal-settings");

        // the audit log names the people who acted (the owner's export), not their identity provider's subject
        browser.open(base + "/audit");
        String who = browser.find("#audit tbody tr .who").getText();
        assertTrue(who.contains(tenant.owner().email()) && !who.contains(tenant.owner().subject()), who);
        browser.open(base + "/settings");
        browser.waitForElement("#delete-confirm").sendKeys("Settled");   // not the whole name
        browser.find("form[hx-post$='/settings/delete'] button").click();
        WebElement refused = browser.waitFor(d -> {
            WebElement shown = browser.find("form[hx-post$='/settings/delete'] .form-errors");
            return shown.getText().isBlank() ? null : shown;
        });
        assertTrue(refused.getText().contains("confirm"), refused.getText());
        browser.find("#delete-confirm").clear();
        browser.find("#delete-confirm").sendKeys("Settled Ltd");
        browser.find("form[hx-post$='/settings/delete'] button").click();
        browser.waitFor(d -> browser.path().equals("/portal"));
        WebElement card = browser.waitForElement("li.card.deleted");
        browser.screenshot("portal-start-deleted-tenant");
        assertTrue(card.getText().contains("Settled Ltd") && card.getText().contains("deleted"), card.getText());
        tenant.owner().api().get("/v1/tenants").then().statusCode(200)
                .body("data[0].status", org.hamcrest.Matchers.equalTo("deleting"));

        card.findElement(By.cssSelector("button")).click();
        browser.waitFor(d -> browser.path().equals(base));
        tenant.owner().api().get("/v1/datasets").then().statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.equalTo(1));
        assertEquals("active", tenant.owner().api().get("/v1/tenants/" + tenant.id()).then().statusCode(200)
                .extract().path("status"));

        // An admin sees the settings, but neither the export nor the deletion.
        browser.close();
        browser = new PortalBrowser(root.toString());
        browser.signIn(admin, base + "/settings");
        browser.waitForElement("#datasets-days");
        assertTrue(browser.findAll("#delete-confirm").isEmpty(), "no delete form for an admin");
        assertTrue(browser.findAll("form[hx-post$='/settings/exports']").isEmpty(), "no export for an admin");
    }
}
