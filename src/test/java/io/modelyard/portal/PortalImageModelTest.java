package io.modelyard.portal;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.ml.vision.SyntheticShapes;
import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.ImageZips;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * An image model's page in a real browser: the evaluation's most confident mistakes as a gallery of the test
 * images (each opens the image), and "try it" with an uploaded file, answered with the occlusion map drawn over
 * the picture. Another tenant's model page, image and upload answer 404.
 */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalImageModelTest {

    private static final List<String> CLASSES = SyntheticShapes.CLASSES.subList(0, 3);

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
    void theModelPageShowsItsMistakesAndExplainsAnUploadedImage(@TempDir Path files) throws IOException {
        TestTenant tenant = TestTenant.signUp("Vision Co");
        TestPlans.assign(tenant, TestPlans.unlimited());
        String version = tenant.owner().api().contentType("application/zip").queryParam("task",
                "image_classification").queryParam("name", "shapes").body(ImageZips.shapes(240, 32, 3, 21))
                .post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");
        // Two epochs: enough to learn something, not enough to get every test image right.
        String model = trained(tenant, Map.of("dataset_version_id", version, "architecture", "cnn_small",
                "hyperparameters", Map.of("epochs", 2, "batch_size", 32, "hidden_size", 8), "seed", 5));
        List<Map<String, Object>> mistakes = tenant.owner().api().get("/v1/models/" + model).then().statusCode(200)
                .extract().jsonPath().getList("evaluation.classification.mistakes");

        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.waitFor(d -> browser.path().equals(base));
        browser.open(base + "/models/" + model);
        browser.waitForElement("#mistakes");
        List<WebElement> shown = browser.findAll("#mistakes img");
        assertEquals(mistakes.size(), shown.size(), "one thumbnail per mistake the evaluation lists");
        for (int i = 0; i < shown.size(); i++) {
            String caption = browser.findAll("#mistakes figcaption").get(i).getText();
            assertTrue(caption.contains((String) mistakes.get(i).get("actual"))
                    && caption.contains((String) mistakes.get(i).get("predicted")), caption);
        }
        browser.waitFor(d -> Boolean.TRUE.equals(browser.script("return Array.from(document.querySelectorAll("
                + "'#mistakes img')).every(function (i) { return i.complete && i.naturalWidth > 0; });")));

        Path circle = files.resolve("circle.png");
        Files.write(circle, ImageZips.png(64, 99));
        browser.find("#try-image").sendKeys(circle.toString());
        browser.find("form[hx-encoding] button[type=submit]").click();
        browser.waitForElement("#prediction-result .occlusion-map");
        assertEquals(64, browser.findAll("#prediction-result .occlusion-map span").size(), "an 8×8 occlusion map");
        String label = browser.find("#prediction-result .prediction strong").getText();
        assertTrue(CLASSES.contains(label), label);
        assertEquals(3, browser.findAll("#prediction-result meter").size(), "a bar per class");
        browser.waitFor(d -> Boolean.TRUE.equals(browser.script("return document.querySelector("
                + "'#prediction-result figure img').naturalWidth === 64;")));
        String page = browser.find("main").getText();
        assertTrue(page.contains("Assigns an image to one of 3 classes") && page.contains("resized to 32×32"),
                "the model card speaks of images");
        browser.screenshot("image-model-page");

        if (!mistakes.isEmpty()) {
            // A mistake's thumbnail opens the image as it was uploaded.
            String href = browser.find("#mistakes a").getAttribute("href");
            asPortal().get(href.substring(href.indexOf("/portal/"))).then().statusCode(200)
                    .contentType(containsString("image/png")).header("X-Content-Type-Options", "nosniff");
        }

        TestTenant other = TestTenant.signUp("Other Vision");
        String theirVersion = other.owner().api().contentType("application/zip").queryParam("task",
                "image_classification").queryParam("name", "theirs").body(ImageZips.shapes(12, 32, 2, 22))
                .post("/v1/datasets").then().statusCode(201).extract().path("latest_version.id");
        String theirImage = other.owner().api().get("/v1/dataset-versions/" + theirVersion + "/images").then()
                .statusCode(200).extract().path("data[0].id");
        String otherBase = "/portal/t/" + other.id();
        asPortal().get(otherBase + "/models/" + model).then().statusCode(404);
        asPortal().get(base + "/dataset-versions/" + theirVersion + "/images/" + theirImage).then().statusCode(404)
                .contentType(not(containsString("image/")));
        asPortal().get(base + "/dataset-versions/" + version + "/images/" + theirImage).then().statusCode(404);
        asPortal().multiPart("image", "circle.png", ImageZips.png(32, 1), "image/png")
                .post(otherBase + "/models/" + model + "/predict").then().statusCode(404);
        asPortal().multiPart("image", "notes.txt", "not an image".getBytes(), "text/plain")
                .post(base + "/models/" + model + "/predict").then().statusCode(400)
                .body(containsString("not a readable JPEG, PNG, BMP, GIF or WebP image"));
    }

    private static String trained(TestTenant tenant, Map<String, Object> request) {
        String job = tenant.owner().api().body(request).post("/v1/training-jobs").then().statusCode(202).extract()
                .path("id");
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = tenant.owner().api().get("/v1/training-jobs/" + job).then().statusCode(200).extract()
                    .jsonPath();
            return List.of("succeeded", "failed", "cancelled").contains(last[0].getString("state"));
        });
        assertEquals("succeeded", last[0].getString("state"), () -> last[0].prettify());
        return last[0].getString("model_id");
    }

    /** Requests outside the browser with its session and CSRF token, as a forging script would send them. */
    private RequestSpecification asPortal() {
        return RestAssured.given().redirects().follow(false).cookie("q_session_portal", browser.sessionCookie())
                .header("X-CSRF-Token", browser.csrfToken()).header("HX-Request", "true");
    }
}
