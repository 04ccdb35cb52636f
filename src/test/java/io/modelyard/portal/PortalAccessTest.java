package io.modelyard.portal;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelyard.testing.BrowserFailures;
import io.modelyard.testing.Datasets;
import io.modelyard.testing.GeneratedData;
import io.modelyard.testing.Keycloak;
import io.modelyard.testing.ModelFixtures;
import io.modelyard.testing.PortalBrowser;
import io.modelyard.testing.TestPlans;
import io.modelyard.testing.TestTenant;
import io.modelyard.testing.TestUser;
import io.modelyard.testing.TrainedModels;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * Who may do what in the portal, checked in a real browser and with requests forged outside it: roles hide what
 * they cannot use and the services refuse it anyway; another tenant's ids answer 404; a state-changing request
 * without the person's CSRF token is refused; every page carries the security headers; signing out ends the
 * Keycloak session.
 */
@QuarkusTest
@ExtendWith(BrowserFailures.class)
class PortalAccessTest {

    @TestHTTPResource("/")
    URL root;

    PortalBrowser browser;

    @Inject
    ModelFixtures fixtures;

    @BeforeEach
    void openBrowser() {
        browser = new PortalBrowser(root.toString());
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void aViewerSeesNoCreateButtonsAndAForgedPostFromThemIsRefused() {
        TestTenant tenant = TestTenant.signUp("Viewers Inc");
        String version = Datasets.upload(tenant.owner().api(), "reviews", "text_classification",
                GeneratedData.topics(60, 1));
        String dataset = tenant.owner().api().get("/v1/dataset-versions/" + version).then().statusCode(200)
                .extract().path("dataset_id");
        TestUser viewer = tenant.addMember("viewer");

        browser.signIn(viewer, "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.waitFor(d -> browser.path().equals(base));
        browser.open(base + "/datasets");
        assertTrue(browser.findAll("#upload-form").isEmpty(), "no upload form for a viewer");
        assertTrue(browser.find("main").getText().contains("reviews"), "but the dataset is listed");
        browser.open(base + "/datasets/" + dataset);
        assertTrue(browser.findAll("button.danger").isEmpty(), "no delete button");
        browser.open(base + "/dataset-versions/" + version);
        assertTrue(browser.findAll("#clean-title").isEmpty(), "no re-clean form");
        assertTrue(browser.findAll("a[href*='/training-jobs/new']").isEmpty(), "no train button");
        browser.open(base + "/training-jobs");
        assertTrue(browser.findAll("a[href*='/training-jobs/new']").isEmpty(), "no new-job button");
        browser.open(base + "/api-keys");
        assertTrue(browser.findAll("#key-name").isEmpty(), "no key form");
        browser.open(base + "/members");
        assertTrue(browser.findAll("#invite-email").isEmpty(), "no invitation form");
        assertTrue(browser.findAll("a[href$='/audit']").isEmpty(), "no audit log in the menu");

        // The same requests forged with the viewer's own session and token: the services refuse them.
        asPortal().post(base + "/datasets/" + dataset + "/delete").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("does not allow this operation"));
        asPortal().formParam("name", "sneaky").formParam("scopes", "read").post(base + "/api-keys")
                .then().statusCode(403);
        asPortal().get(base + "/audit").then().statusCode(403);
        tenant.owner().api().get("/v1/datasets/" + dataset).then().statusCode(200);
        tenant.owner().api().get("/v1/api-keys").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
    }

    @Test
    void aMemberOfOneTenantFindsNothingOfAnotherByEditingIdsInUrls() {
        TestTenant mine = TestTenant.signUp("Mine");
        TestTenant theirs = TestTenant.signUp("Theirs");
        String theirVersion = Datasets.upload(theirs.owner().api(), "secret-data", "text_classification",
                GeneratedData.topics(60, 2));
        String theirDataset = theirs.owner().api().get("/v1/dataset-versions/" + theirVersion).then()
                .extract().path("dataset_id");

        browser.signIn(mine.owner(), "/portal");
        String base = "/portal/t/" + mine.id();
        for (String path : List.of("/portal/t/" + theirs.id(), "/portal/t/" + theirs.id() + "/datasets",
                base + "/datasets/" + theirDataset, base + "/dataset-versions/" + theirVersion,
                base + "/dataset-versions/" + theirVersion + "/download?format=csv",
                base + "/models/mdl_01jd7x9k2m3n4p5q6r7s8t9v0w", base + "/training-jobs/job_01jd7x9k2m3n4p5q6r7s8t9v0w")) {
            browser.open(path);
            assertEquals("Not found", browser.find("main h1").getText(), path + " answers a 404 page");
            assertFalse(browser.driver().getPageSource().contains("secret-data"), path + " shows nothing of theirs");
        }
        asPortal().get(base + "/dataset-versions/" + theirVersion).then().statusCode(404);
        asPortal().post(base + "/datasets/" + theirDataset + "/delete").then().statusCode(404);
        theirs.owner().api().get("/v1/datasets/" + theirDataset).then().statusCode(200);
    }

    @Test
    void aStateChangingRequestWithoutThePersonsTokenIsRefusedAndChangesNothing() {
        TestTenant tenant = TestTenant.signUp("Csrf Co");
        browser.signIn(tenant.owner(), "/portal");
        String session = browser.sessionCookie();
        String token = browser.csrfToken();
        int before = tenantsOf(tenant.owner());

        RequestSpecification noToken = RestAssured.given().redirects().follow(false).cookie("q_session_portal", session)
                .header("HX-Request", "true").formParam("name", "Forged");
        noToken.post("/portal/tenants").then().statusCode(403).body(containsString("security token"));
        RestAssured.given().cookie("q_session_portal", session).header("X-CSRF-Token", "not-the-token")
                .formParam("name", "Forged").post("/portal/tenants").then().statusCode(403);
        RestAssured.given().cookie("q_session_portal", session).header("X-CSRF-Token", token)
                .header("Sec-Fetch-Site", "cross-site").formParam("name", "Forged").post("/portal/tenants")
                .then().statusCode(403);
        assertEquals(before, tenantsOf(tenant.owner()), "no tenant was created by a refused request");

        RestAssured.given().cookie("q_session_portal", session).header("X-CSRF-Token", token)
                .header("HX-Request", "true").formParam("name", "Honest").post("/portal/tenants")
                .then().statusCode(204).header("HX-Redirect", containsString("/portal/t/ten_"));
        assertEquals(before + 1, tenantsOf(tenant.owner()));
    }

    @Test
    void thePortalsSessionIsNotACredentialForTheApi() {
        TestTenant tenant = TestTenant.signUp("Cookie Co");
        browser.signIn(tenant.owner(), "/portal");
        String session = browser.sessionCookie();
        String token = browser.csrfToken();
        // What a page of another site could make a browser send along: the session cookie (and even the token).
        RequestSpecification withSession = RestAssured.given().redirects().follow(false)
                .cookie("q_session_portal", session).header("X-CSRF-Token", token)
                .header("Modelyard-Tenant", tenant.id());
        withSession.get("/v1/datasets").then().statusCode(401);
        withSession.contentType("application/json").body(Map.of("name", "forged", "scopes", List.of("read")))
                .post("/v1/api-keys").then().statusCode(401);
        tenant.owner().api().get("/v1/api-keys").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
        // The same session still opens the portal.
        RestAssured.given().redirects().follow(false).cookie("q_session_portal", session)
                .get("/portal/t/" + tenant.id()).then().statusCode(200);
    }

    @Test
    void everyPageCarriesSecurityHeadersAndNoTokenIsKeptInTheBrowser() {
        TestTenant tenant = TestTenant.signUp("Headers Ltd");
        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        Cookie session = browser.driver().manage().getCookieNamed("q_session_portal");
        assertTrue(session.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Lax", session.getSameSite());
        assertTrue(session.getValue().length() < 100, "the cookie holds a handle, not tokens");
        // Web storage holds no token: nothing like a JWT, the session handle or the CSRF token (htmx keeps only
        // the current path there).
        String stored = String.valueOf(browser.script("return JSON.stringify([localStorage, sessionStorage]);"));
        assertFalse(stored.contains("eyJ") || stored.contains(session.getValue()) || stored.contains(browser.csrfToken()),
                stored);

        for (String path : List.of("/portal", base, base + "/datasets", base + "/training-jobs",
                base + "/training-jobs/new", base + "/models", base + "/api-keys", base + "/usage", base + "/members",
                base + "/audit", "/portal/assets/portal.css", base + "/datasets/ds_01jd7x9k2m3n4p5q6r7s8t9v0w")) {
            Response page = RestAssured.given().redirects().follow(false).cookie("q_session_portal", session.getValue())
                    .get(path);
            page.then().header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "same-origin");
            if (!path.endsWith(".css")) {
                page.then().header("Cache-Control", "no-store");
            }
        }
    }

    @Test
    void signingOutEndsTheSessionHereAndAtKeycloak() {
        TestUser person = Keycloak.newUser("leaver");
        browser.signIn(person, "/portal");
        String session = browser.sessionCookie();
        browser.find("form[action='/portal/logout'] button").click();
        browser.waitFor(d -> browser.path().equals("/portal/signed-out"));
        assertEquals("You have signed out", browser.find("main h1").getText());

        browser.open("/portal");
        browser.waitForElement("#username");
        assertTrue(browser.driver().getCurrentUrl().contains("/realms/modelyard/"), "Keycloak asks to sign in again");
        RestAssured.given().redirects().follow(false).cookie("q_session_portal", session).get("/portal")
                .then().statusCode(302).header("Location", containsString("openid-connect/auth"));
    }

    @Test
    void operatorsSuspendAndResumeTenantsAndOthersCannotReachTheOperatorPages() {
        TestTenant tenant = TestTenant.signUp("Suspendable");
        browser.signIn(Keycloak.operator(), "/portal/admin/tenants");
        browser.waitForElement("#tenants");
        RequestSpecification operator = asPortal();
        operator.formParam("reason", "unpaid invoice").post("/portal/admin/tenants/" + tenant.id() + "/suspend")
                .then().statusCode(204);
        tenant.owner().api().get("/v1/datasets").then().statusCode(403)
                .body("type", equalTo("https://modelyard.dev/problems/tenant-suspended"));
        browser.open("/portal/admin/tenants?after=");
        asPortal().post("/portal/admin/tenants/" + tenant.id() + "/resume").then().statusCode(204);
        tenant.owner().api().get("/v1/datasets").then().statusCode(200);
        browser.open("/portal/admin/plans");
        assertTrue(browser.find("main").getText().contains("free"));
        // a limit of zero is a limit (the free plan has no GPU training), not "unlimited"
        assertEquals("0", browser.find("#plan-free ~ .table-wrap [data-meter=training_gpu_seconds] .limit").getText());

        // The plans page sets a plan's image pixels per prediction request; a bad value is explained and changes
        // nothing, an empty one puts the plan back on the platform's default.
        String plan = TestPlans.unlimited();
        browser.open("/portal/admin/plans");
        WebElement pixels = browser.waitForElement("#pixels-" + plan);
        pixels.sendKeys("4096");
        browser.find("form[hx-post='/portal/admin/plans/" + plan + "/image-pixels'] button").click();
        browser.waitFor(driver -> Keycloak.operator().api().get("/v1/admin/plans/" + plan).then().statusCode(200)
                .extract().path("max_image_pixels_per_request") != null, Duration.ofSeconds(10));
        Keycloak.operator().api().get("/v1/admin/plans/" + plan).then()
                .body("max_image_pixels_per_request", equalTo(4096));
        asPortal().formParam("max_image_pixels_per_request", "1.5").post("/portal/admin/plans/" + plan
                + "/image-pixels").then().statusCode(400)
                .body(containsString("max_image_pixels_per_request: must be a positive whole number"));
        Keycloak.operator().api().get("/v1/admin/plans/" + plan).then()
                .body("max_image_pixels_per_request", equalTo(4096));
        asPortal().formParam("max_image_pixels_per_request", "").post("/portal/admin/plans/" + plan
                + "/image-pixels").then().statusCode(204);
        Keycloak.operator().api().get("/v1/admin/plans/" + plan).then()
                .body("max_image_pixels_per_request", org.hamcrest.Matchers.nullValue());

        try (PortalBrowser other = new PortalBrowser(root.toString())) {
            other.signIn(tenant.owner(), "/portal/admin/tenants");
            assertEquals("Forbidden", other.find("main h1").getText());
        }
    }

    @Test
    void aRefusedUploadIsExplainedInWordsBesideTheFormAndKeepsNothing() throws Exception {
        TestTenant tenant = TestTenant.signUp("Bad Data");
        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.open(base + "/datasets");
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("words", ".csv");
        java.nio.file.Files.writeString(csv, GeneratedData.topics(30, 3));
        browser.find("#upload-file").sendKeys(csv.toString());
        new org.openqa.selenium.support.ui.Select(browser.find("#upload-task")).selectByValue("tabular_regression");
        browser.find("#upload-target").sendKeys("no_such_column\n");
        String error = browser.waitForElement("#upload-form .form-errors .notice.error").getText();
        assertTrue(error.contains("no_such_column"), error);
        tenant.owner().api().get("/v1/datasets").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
    }

    @Test
    void aTrainingJobIsPausedAndResumedFromItsPageAndAnotherTenantsJobCannotBe() {
        TestTenant tenant = TestTenant.signUp("Pausing Co");
        TestTenant other = TestTenant.signUp("Other Pauser");
        String version = Datasets.upload(tenant.owner().api(), "topics", "text_classification",
                GeneratedData.topics(200, 43));
        Map<String, Object> longRun = Map.of("epochs", 300, "batch_size", 32, "learning_rate", 0.01,
                "embedding_size", 16, "hidden_size", 16, "max_sequence_length", 16, "vocabulary_size", 300,
                "layers", 1, "heads", 2, "early_stopping_patience", 0);
        String job = tenant.owner().api().body(Map.of("dataset_version_id", version, "hyperparameters", longRun))
                .post("/v1/training-jobs").then().statusCode(202).extract().path("id");
        String otherVersion = Datasets.upload(other.owner().api(), "theirs", "text_classification",
                GeneratedData.topics(60, 44));
        String theirJob = other.owner().api().body(Map.of("dataset_version_id", otherVersion,
                "hyperparameters", longRun)).post("/v1/training-jobs").then().statusCode(202).extract().path("id");

        browser.signIn(tenant.owner(), "/portal");
        String base = "/portal/t/" + tenant.id();
        browser.open(base + "/training-jobs/" + job);
        browser.waitForElement("button[type=submit]");
        browser.find(".actions form[hx-post$='/pause'] button").click();
        // The page reloads once the job is paused (so no element is held across the reload).
        browser.waitFor(d -> "paused".equals(browser.script(
                "var s = document.querySelector('.job-state'); return s ? s.textContent : null;")),
                Duration.ofSeconds(60));
        tenant.owner().api().get("/v1/training-jobs/" + job).then().body("state", equalTo("paused"));

        browser.waitFor(d -> Boolean.TRUE.equals(browser.script(
                "return document.querySelector(\".actions form[hx-post$='/resume'] button\") !== null;")));
        browser.find(".actions form[hx-post$='/resume'] button").click();
        browser.waitFor(d -> tenant.owner().api().get("/v1/training-jobs/" + job).then().extract()
                .<String>path("state").matches("queued|running"), Duration.ofSeconds(30));

        // Their job, addressed under my tenant or theirs, is not found and keeps running.
        asPortal().post(base + "/training-jobs/" + theirJob + "/pause").then().statusCode(404);
        asPortal().post("/portal/t/" + other.id() + "/training-jobs/" + theirJob + "/pause").then().statusCode(404);
        other.owner().api().get("/v1/training-jobs/" + theirJob).then().body("state", not(equalTo("paused")));

        tenant.owner().api().post("/v1/training-jobs/" + job + "/cancel").then().statusCode(200);
        other.owner().api().post("/v1/training-jobs/" + theirJob + "/cancel").then().statusCode(200);
    }

    @Test
    void everyActionOnAnotherTenantsIdsAnswers404AndChangesNothingOfTheirs() {
        TestTenant mine = TestTenant.signUp("Mine Actions");
        TestPlans.assign(mine, TestPlans.unlimited());
        TestTenant theirs = TestTenant.signUp("Their Actions");
        TestPlans.assign(theirs, TestPlans.unlimited());
        String theirVersion = Datasets.upload(theirs.owner().api(), "their-data", "text_classification",
                GeneratedData.topics(60, 7));
        String theirKeySecret = theirs.apiKey("read");
        String theirKey = theirs.owner().api().get("/v1/api-keys").then().statusCode(200)
                .extract().path("data[0].id");
        TestUser theirMember = theirs.addMember("member");
        String theirMembership = theirs.owner().api().get("/v1/members").then().statusCode(200)
                .extract().path("data.find { it.email == '" + theirMember.email() + "' }.id");
        String theirModel = fixtures.register(theirs.id(), "topics", TrainedModels.topics());
        theirs.owner().api().body(Map.of("model_id", theirModel)).put("/v1/model-aliases/production").then()
                .statusCode(200);
        String theirExport = theirs.owner().api().body("{}").post("/v1/tenant-exports").then().statusCode(202)
                .extract().path("id");
        Map<String, Object> slowRun = Map.of("epochs", 300, "batch_size", 32, "embedding_size", 16,
                "hidden_size", 16, "max_sequence_length", 16, "vocabulary_size", 300, "early_stopping_patience", 0);
        String theirJob = theirs.owner().api().body(Map.of("dataset_version_id", theirVersion,
                "hyperparameters", slowRun)).post("/v1/training-jobs").then().statusCode(202).extract().path("id");

        browser.signIn(mine.owner(), "/portal");
        String base = "/portal/t/" + mine.id();
        // Each answer names the id it did not find: the page's handler ran (a mistyped path would not name it).
        asPortal().get(base + "/dataset-versions/" + theirVersion + "/images").then().statusCode(404)
                .body(containsString(theirVersion));
        asPortal().contentType("application/x-www-form-urlencoded").formParam("whitespace", "collapse")
                .post(base + "/dataset-versions/" + theirVersion + "/clean").then().statusCode(404)
                .body(containsString(theirVersion));
        asPortal().post(base + "/api-keys/" + theirKey + "/rotate").then().statusCode(404)
                .body(containsString(theirKey));
        asPortal().post(base + "/api-keys/" + theirKey + "/revoke").then().statusCode(404)
                .body(containsString(theirKey));
        asPortal().contentType("application/x-www-form-urlencoded").formParam("role", "viewer")
                .post(base + "/members/" + theirMembership + "/role").then().statusCode(404)
                .body(containsString(theirMembership));
        asPortal().post(base + "/members/" + theirMembership + "/remove").then().statusCode(404)
                .body(containsString(theirMembership));
        asPortal().contentType("application/x-www-form-urlencoded").formParam("inputs", "the match")
                .post(base + "/models/" + theirModel + "/predict").then().statusCode(404)
                .body(containsString(theirModel));
        asPortal().contentType("application/x-www-form-urlencoded").formParam("alias", "stolen")
                .post(base + "/models/" + theirModel + "/aliases").then().statusCode(404)
                .body(containsString(theirModel));
        asPortal().post(base + "/models/" + theirModel + "/aliases/production/remove").then().statusCode(404)
                .body(containsString(theirModel));
        asPortal().get(base + "/settings/exports/" + theirExport + "/download").then().statusCode(404)
                .body(containsString(theirExport));
        asPortal().accept("text/event-stream").get(base + "/jobs/" + theirJob + "/events").then().statusCode(404)
                .body(containsString(theirJob));
        asPortal().post(base + "/training-jobs/" + theirJob + "/cancel").then().statusCode(404)
                .body(containsString(theirJob));
        asPortal().post(base + "/training-jobs/" + theirJob + "/resume").then().statusCode(404)
                .body(containsString(theirJob));
        asPortal().post("/portal/t/" + theirs.id() + "/restore").then().statusCode(404)
                .body(containsString(theirs.id()));

        // Nothing of theirs changed: the key works, the member keeps their role, the alias and the job stand.
        TestTenant.withKey(theirKeySecret).get("/v1/ping").then().statusCode(200);
        theirs.owner().api().get("/v1/members/" + theirMembership).then().statusCode(200)
                .body("role", equalTo("member"));
        theirs.owner().api().get("/v1/models/" + theirModel).then().statusCode(200)
                .body("aliases", equalTo(List.of("production")));
        theirs.owner().api().get("/v1/training-jobs/" + theirJob).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.oneOf("queued", "running"));
        theirs.owner().api().get("/v1/dataset-versions/" + theirVersion).then().statusCode(200);
        theirs.owner().api().post("/v1/training-jobs/" + theirJob + "/cancel").then().statusCode(200);

        // Within one tenant: a page that still shows an alias a colleague has since moved does not remove it.
        String first = fixtures.register(mine.id(), "topics", TrainedModels.topics());
        String second = fixtures.register(mine.id(), "topics", TrainedModels.topics());
        mine.owner().api().body(Map.of("model_id", second)).put("/v1/model-aliases/staging").then().statusCode(200);
        asPortal().post(base + "/models/" + first + "/aliases/staging/remove").then().statusCode(404)
                .body(containsString("has no alias"));
        mine.owner().api().get("/v1/models/" + second).then().body("aliases", equalTo(List.of("staging")));
        asPortal().post(base + "/models/" + second + "/aliases/staging/remove").then().statusCode(204);
        mine.owner().api().get("/v1/models/" + second).then().body("aliases", equalTo(List.of()));
    }

    /** Requests outside the browser with its session and CSRF token, as a forging script would send them. */
    private RequestSpecification asPortal() {
        return RestAssured.given().redirects().follow(false).cookie("q_session_portal", browser.sessionCookie())
                .header("X-CSRF-Token", browser.csrfToken()).header("HX-Request", "true");
    }

    private static int tenantsOf(TestUser person) {
        return person.api().get("/v1/tenants").then().statusCode(200).extract().path("data.size()");
    }
}
