package io.modelyard.portal;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.ImageZips;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

/**
 * An image dataset's version page in a real browser: a row of thumbnails per class, served by the portal under
 * the session's tenant (the browser has no API key), the flagged files, and another tenant's thumbnails 404.
 */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalImageGalleryTest {

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
    void theVersionPageShowsThumbnailsOfEachClassAndAnotherTenantsThumbnailIsNotFound() {
        TestTenant tenant = TestTenant.signUp("Gallery Co");
        TestTenant other = TestTenant.signUp("Other Gallery");
        String version = uploadZip(tenant, ImageZips.shapes(36, 32, 3, 5));
        String theirVersion = uploadZip(other, ImageZips.shapes(12, 32, 2, 6));
        List<String> labels = tenant.owner().api().queryParam("limit", 100)
                .get("/v1/dataset-versions/" + version + "/images").then().statusCode(200).extract()
                .path("data.label");
        TreeSet<String> classes = new TreeSet<>(labels);
        assertEquals(3, classes.size(), labels.toString());
        String theirImage = other.owner().api().get("/v1/dataset-versions/" + theirVersion + "/images").then()
                .statusCode(200).extract().path("data[0].id");

        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.waitFor(d -> browser.path().equals(base));
        browser.open(base + "/dataset-versions/" + version);
        browser.waitForElement("#gallery");
        for (String label : classes) {
            List<WebElement> thumbs = browser.findAll("ul.thumbs[data-label='" + label + "'] img");
            assertFalse(thumbs.isEmpty(), "thumbnails of " + label);
            assertTrue(thumbs.size() <= 12, label + ": " + thumbs.size());
            for (WebElement thumb : thumbs) {
                assertTrue(thumb.getAttribute("alt").endsWith(".png"), thumb.getAttribute("alt"));
                assertTrue(thumb.getAttribute("src").contains(base + "/dataset-versions/" + version + "/images/"),
                        thumb.getAttribute("src"));
            }
        }
        // Every thumbnail was decoded by the browser, i.e. served to it with the session alone.
        browser.waitFor(d -> Boolean.TRUE.equals(browser.script("return Array.from(document.querySelectorAll("
                + "'#gallery img')).every(function (i) { return i.complete && i.naturalWidth > 0; });")));
        assertTrue(browser.find("#image-flag-counts").isDisplayed(), "the flagged files' counts");
        assertTrue(browser.find("main").getText().contains("Flagged files"));
        String page = browser.find("main").getText();
        assertTrue(page.contains("Download the manifest (CSV)") && page.contains("the SHA-256 of its bytes"), page);
        assertTrue(browser.findAll("#clean-whitespace").isEmpty(), "no whitespace cleaning for images");
        // A thumbnail opens the image as uploaded.
        String opened = browser.find("#gallery a").getAttribute("href");
        asPortal().get(opened.substring(opened.indexOf("/portal/"))).then().statusCode(200)
                .contentType(containsString("image/png")).header("X-Content-Type-Options", "nosniff");
        browser.screenshot("image-dataset-version");

        // A class's "more" page pages through that class only.
        String first = classes.first();
        browser.find("a[href$='/images?label=" + first + "']").click();
        browser.waitForElement("#image-page");
        assertEquals("Images of " + first, browser.find("main h1").getText());
        assertEquals(labels.stream().filter(first::equals).count(), browser.findAll("#image-page img").size());
        browser.screenshot("image-dataset-class");

        // The thumbnail route: private, not sniffed, a JPEG; another tenant's image 404 under either tenant.
        String src = browser.find("#image-page img").getAttribute("src");
        asPortal().get(src.substring(src.indexOf("/portal/"))).then().statusCode(200)
                .contentType(containsString("image/jpeg")).header("Cache-Control", containsString("private"))
                .header("X-Content-Type-Options", "nosniff");
        for (String path : List.of(base + "/dataset-versions/" + theirVersion + "/images/" + theirImage + "/thumbnail",
                base + "/dataset-versions/" + version + "/images/" + theirImage + "/thumbnail",
                "/portal/t/" + other.id() + "/dataset-versions/" + theirVersion + "/images/" + theirImage
                        + "/thumbnail",
                base + "/dataset-versions/" + version + "/images/" + "0".repeat(64) + "/thumbnail")) {
            asPortal().get(path).then().statusCode(404).contentType(not(containsString("image/")));
        }
    }

    private static String uploadZip(TestTenant tenant, byte[] zip) {
        return tenant.owner().api().contentType("application/zip").queryParam("task", "image_classification")
                .queryParam("name", "shapes").body(zip).post("/v1/datasets").then().statusCode(201).extract()
                .path("latest_version.id");
    }

    /** Requests outside the browser with its session, as an `img` tag (or a forging script) would send them. */
    private RequestSpecification asPortal() {
        return RestAssured.given().redirects().follow(false).cookie("q_session_portal", browser.sessionCookie());
    }
}
